"""CAPA: corrective and preventive actions for investigations, verified effective before closure."""

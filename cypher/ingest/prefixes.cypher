// GS1 company prefixes seen in data: used to read Digital Link URIs.
UNWIND $prefixes AS prefix
MERGE (:CompanyPrefix {prefix: prefix})

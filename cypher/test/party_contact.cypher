// Tests: give a party a contact address.
MATCH (p:Party {epc: $epc})
SET p.contact = $contact

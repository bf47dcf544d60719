// Master data of sites and the party operating each (address, contact, channel): a map per site.
UNWIND $epcs AS epc
// include: recall/site
RETURN site

// Constraints and indexes, applied idempotently by `tracegraph db migrate` and at start-up.
// Every MERGE in ingest is on one of these unique keys.
CREATE CONSTRAINT object_epc IF NOT EXISTS FOR (n:Object) REQUIRE n.epc IS UNIQUE;
CREATE CONSTRAINT lot_epc IF NOT EXISTS FOR (n:Lot) REQUIRE n.epc IS UNIQUE;
CREATE CONSTRAINT product_gtin IF NOT EXISTS FOR (n:Product) REQUIRE n.gtin IS UNIQUE;
CREATE CONSTRAINT site_epc IF NOT EXISTS FOR (n:Site) REQUIRE n.epc IS UNIQUE;
CREATE CONSTRAINT party_epc IF NOT EXISTS FOR (n:Party) REQUIRE n.epc IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.event_id IS UNIQUE;
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.digest IS UNIQUE;
CREATE CONSTRAINT company_prefix IF NOT EXISTS FOR (n:CompanyPrefix) REQUIRE n.prefix IS UNIQUE;
CREATE INDEX event_time IF NOT EXISTS FOR (n:Event) ON (n.time);
CREATE INDEX event_biz_step IF NOT EXISTS FOR (n:Event) ON (n.biz_step);
CREATE INDEX event_biz_location IF NOT EXISTS FOR (n:Event) ON (n.biz_location);
CREATE INDEX event_transformation IF NOT EXISTS FOR (n:Event) ON (n.transformation_id);
CREATE INDEX event_read_point IF NOT EXISTS FOR (n:Event) ON (n.read_point);
CREATE INDEX event_disposition IF NOT EXISTS FOR (n:Event) ON (n.disposition);
CREATE INDEX event_type IF NOT EXISTS FOR (n:Event) ON (n.type);
CREATE INDEX item_gtin IF NOT EXISTS FOR (n:Item) ON (n.gtin);
CREATE INDEX lot_gtin IF NOT EXISTS FOR (n:Lot) ON (n.gtin);
CREATE INDEX in_open IF NOT EXISTS FOR ()-[r:IN]-() ON (r.end);
CREATE CONSTRAINT recall_scope_id IF NOT EXISTS FOR (n:RecallScope) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.version IS UNIQUE;

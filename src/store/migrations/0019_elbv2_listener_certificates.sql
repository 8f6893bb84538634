-- The certificate list of each HTTPS listener (AddListenerCertificates), in the order added. The
-- listener's default certificate stays in its doc (elbv2_listeners). Certificate ARNs are stored,
-- not checked: Gantry has no ACM.
CREATE TABLE elbv2_listener_certificates (
  account          TEXT NOT NULL,
  region           TEXT NOT NULL,
  listener_arn     TEXT NOT NULL,
  certificate_arn  TEXT NOT NULL,
  PRIMARY KEY (account, region, listener_arn, certificate_arn)
);

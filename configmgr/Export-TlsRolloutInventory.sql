-- The expected estate for tlsrollout (api.md, "The expected estate (inventory)"), read from a ConfigMgr site
-- database: one row per machine, columns machineId,siteCode,roles,osVersion,lastSeenAt, ready to be written as
-- the CSV that POST /api/v1/inventory takes. Run it in the site database (CM_<site code>) of the top-level site
-- (the central administration site, or the stand-alone primary) to cover the whole hierarchy.
-- Only the documented views are read: v_R_System, v_RA_System_SMSAssignedSites, v_GS_OPERATING_SYSTEM,
-- v_CH_ClientSummary, v_SystemResourceList. Never run against a real site database (see README.md).
--
-- machineId: the machine's FQDN in lower case (NetBIOS name + '.' + Full_Domain_Name0), or the NetBIOS name alone
-- when ConfigMgr knows no domain for it (workgroup machines); configure each agent with the same name.
-- roles: the schema's role names separated by ';' (CLIENT is implied and not written); empty for a plain client.
-- osVersion: v_GS_OPERATING_SYSTEM.Version0 when it is major.minor.build, else empty.
-- lastSeenAt: v_CH_ClientSummary.LastActiveTime as ISO-8601 UTC to the second, or empty.
SET NOCOUNT ON;

WITH role_map (RoleName, Role) AS (
    -- v_SystemResourceList.RoleName -> snapshot.schema.json role. Not mapped: SMS Component Server and SMS Site
    -- System (on every site system, not roles), SMS Fallback Status Point and SMS Cloud Proxy Connector (the
    -- schema has no name for them); secondary site servers are SMS Site Server too (SITE_SERVER here).
    SELECT 'SMS Site Server', 'SITE_SERVER' UNION ALL
    SELECT 'SMS SQL Server', 'SITE_DATABASE_SERVER' UNION ALL
    SELECT 'SMS Provider', 'SMS_PROVIDER' UNION ALL
    SELECT 'SMS Management Point', 'MANAGEMENT_POINT' UNION ALL
    SELECT 'SMS Distribution Point', 'DISTRIBUTION_POINT' UNION ALL
    SELECT 'SMS Software Update Point', 'SOFTWARE_UPDATE_POINT' UNION ALL
    SELECT 'SMS SRS Reporting Point', 'REPORTING_SERVICES_POINT' UNION ALL
    SELECT 'SMS Dmp Connector', 'SERVICE_CONNECTION_POINT' UNION ALL
    SELECT 'SMS Application Web Service', 'APPLICATION_CATALOG' UNION ALL
    SELECT 'SMS Portal Web Site', 'APPLICATION_CATALOG' UNION ALL
    SELECT 'SMS State Migration Point', 'STATE_MIGRATION_POINT' UNION ALL
    SELECT 'SMS Enrollment Server', 'ENROLLMENT_POINT' UNION ALL
    SELECT 'SMS Enrollment Web Site', 'ENROLLMENT_POINT' UNION ALL
    SELECT 'SMS Endpoint Protection Point', 'ENDPOINT_PROTECTION_POINT' UNION ALL
    SELECT 'SMS Certificate Registration Point', 'CERTIFICATE_REGISTRATION_POINT' UNION ALL
    SELECT 'AI Update Service Point', 'ASSET_INTELLIGENCE_SYNC_POINT' UNION ALL
    SELECT 'Data Warehouse Service Point', 'DATA_WAREHOUSE_SERVICE_POINT' UNION ALL
    SELECT 'SMS Data Warehouse Service Point', 'DATA_WAREHOUSE_SERVICE_POINT'
),
site_role AS (
    -- One row per site system and role; ServerName is the server's FQDN (or its short name).
    SELECT DISTINCT LOWER(srl.ServerName) AS ServerName, srl.SiteCode, m.Role
    FROM v_SystemResourceList srl
    JOIN role_map m ON m.RoleName = srl.RoleName
),
client AS (
    -- Every client that is neither obsolete nor decommissioned (the flags can be NULL), one row per name: the
    -- most recently active record wins when a rebuilt machine left an older record behind.
    SELECT x.*
    FROM (
        SELECT s.ResourceID, n.MachineId, n.NetbiosName, a.SiteCode, os.Version0, ch.LastActiveTime,
               ROW_NUMBER() OVER (PARTITION BY n.MachineId ORDER BY ch.LastActiveTime DESC, s.ResourceID DESC) AS rn
        FROM v_R_System s
        CROSS APPLY (SELECT LOWER(COALESCE(s.Netbios_Name0, s.Name0)) AS NetbiosName) b
        CROSS APPLY (SELECT CASE WHEN NULLIF(s.Full_Domain_Name0, '') IS NULL THEN b.NetbiosName
                                 ELSE b.NetbiosName + '.' + LOWER(s.Full_Domain_Name0) END AS MachineId,
                            b.NetbiosName) n
        LEFT JOIN (SELECT ResourceID, MIN(SMS_Assigned_Sites0) AS SiteCode
                   FROM v_RA_System_SMSAssignedSites GROUP BY ResourceID) a ON a.ResourceID = s.ResourceID
        LEFT JOIN (SELECT ResourceID, MAX(Version0) AS Version0
                   FROM v_GS_OPERATING_SYSTEM GROUP BY ResourceID) os ON os.ResourceID = s.ResourceID
        LEFT JOIN v_CH_ClientSummary ch ON ch.ResourceID = s.ResourceID
        WHERE s.Client0 = 1
          AND ISNULL(s.Obsolete0, 0) = 0
          AND ISNULL(s.Decommissioned0, 0) = 0
          AND n.MachineId IS NOT NULL
    ) x
    WHERE x.rn = 1
),
machine AS (
    -- The clients, with the site of a site system when the client has no assigned site ...
    SELECT c.MachineId, COALESCE(c.SiteCode, (SELECT MIN(r.SiteCode) FROM site_role r
                                              WHERE r.ServerName IN (c.MachineId, c.NetbiosName))) AS SiteCode,
           c.NetbiosName, c.Version0, c.LastActiveTime
    FROM client c
    UNION ALL
    -- ... and every site system that has no client record (no OS version, no activity known).
    SELECT r.ServerName, MIN(r.SiteCode), NULL, NULL, NULL
    FROM site_role r
    WHERE NOT EXISTS (SELECT 1 FROM client c WHERE r.ServerName IN (c.MachineId, c.NetbiosName))
    GROUP BY r.ServerName
)
SELECT
    m.MachineId AS machineId,
    UPPER(m.SiteCode) AS siteCode,
    ISNULL(STUFF((SELECT DISTINCT ';' + r.Role FROM site_role r
                  WHERE r.ServerName IN (m.MachineId, m.NetbiosName)
                  ORDER BY ';' + r.Role
                  FOR XML PATH(''), TYPE).value('.', 'nvarchar(max)'), 1, 1, ''), '') AS roles,
    CASE WHEN m.Version0 LIKE '[0-9]%.[0-9]%.[0-9]%' AND m.Version0 NOT LIKE '%[^0-9.]%'
         THEN m.Version0 ELSE '' END AS osVersion,
    ISNULL(CONVERT(char(19), m.LastActiveTime, 126) + 'Z', '') AS lastSeenAt
FROM machine m
WHERE m.SiteCode IS NOT NULL
  -- the machine id pattern of snapshot.schema.json (this also leaves out "Unknown Computer" records)
  AND m.MachineId LIKE '[a-z0-9]%'
  AND m.MachineId NOT LIKE '%[^a-z0-9._:-]%'
  AND LEN(m.MachineId) <= 128
ORDER BY m.MachineId;

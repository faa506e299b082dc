<#
.SYNOPSIS
    Writes the machines ConfigMgr knows as tlsrollout's inventory CSV, and optionally posts it.

.DESCRIPTION
    Reads either the site database (Export-TlsRolloutInventory.sql beside this script, through Invoke-Sqlcmd) or
    the AdminService of an SMS Provider (Windows authentication, following @odata.nextLink), and writes the CSV
    that POST /api/v1/inventory takes (api.md, "The expected estate (inventory)"):
        machineId,siteCode,roles,osVersion,lastSeenAt
    UTF-8 without a byte order mark, LF line ends, lastSeenAt as ISO-8601 UTC. Both sources give the same rows:
    machineId is the lower-case FQDN (the NetBIOS name when no domain is known), roles are the schema's names
    separated by ';' (CLIENT implied), only clients that are neither obsolete nor decommissioned, plus site
    systems without a client record. Nothing here has run on Windows or against ConfigMgr: see README.md.

.EXAMPLE
    .\Export-TlsRolloutInventory.ps1 -SqlServer cmsql.corp.example -Database CM_CAS -OutFile D:\tlsrollout\inventory.csv

.EXAMPLE
    .\Export-TlsRolloutInventory.ps1 -AdminServiceHost smsprov.corp.example -OutFile .\inventory.csv `
        -PostTo https://tlsrollout.corp.example:8083 -TokenFile D:\tlsrollout\operator.token
#>
[CmdletBinding(DefaultParameterSetName = 'Sql')]
param(
    # SQL Server instance of the site database (server or server\instance).
    [Parameter(Mandatory, ParameterSetName = 'Sql')]
    [string] $SqlServer,

    # The site database, CM_<site code> of the top-level site.
    [Parameter(Mandatory, ParameterSetName = 'Sql')]
    [string] $Database,

    # Accept the SQL Server's certificate without checking its chain (SqlServer module 22+ encrypts by default).
    [Parameter(ParameterSetName = 'Sql')]
    [switch] $TrustServerCertificate,

    # FQDN of an SMS Provider whose AdminService answers (https://<host>/AdminService).
    [Parameter(Mandatory, ParameterSetName = 'AdminService')]
    [string] $AdminServiceHost,

    # Where the CSV goes.
    [string] $OutFile = (Join-Path (Get-Location) 'inventory.csv'),

    # remediation-service's base URL: when given, the CSV is posted to <PostTo>/api/v1/inventory.
    [string] $PostTo,

    # A file holding an operator token (needed with -PostTo); kept out of the command line and history.
    [string] $TokenFile
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

# The CSV's columns, in order (api.md); the SQL query's final SELECT names the same aliases.
$Columns = @('machineId', 'siteCode', 'roles', 'osVersion', 'lastSeenAt')

# v_SystemResourceList / SMS_SystemResourceList RoleName -> snapshot.schema.json role; the same table as the
# SQL query's role_map. Roles not listed here (SMS Component Server, SMS Site System, ...) are ignored.
$RoleMap = @{
    'SMS Site Server'                    = 'SITE_SERVER'
    'SMS SQL Server'                     = 'SITE_DATABASE_SERVER'
    'SMS Provider'                       = 'SMS_PROVIDER'
    'SMS Management Point'               = 'MANAGEMENT_POINT'
    'SMS Distribution Point'             = 'DISTRIBUTION_POINT'
    'SMS Software Update Point'          = 'SOFTWARE_UPDATE_POINT'
    'SMS SRS Reporting Point'            = 'REPORTING_SERVICES_POINT'
    'SMS Dmp Connector'                  = 'SERVICE_CONNECTION_POINT'
    'SMS Application Web Service'        = 'APPLICATION_CATALOG'
    'SMS Portal Web Site'                = 'APPLICATION_CATALOG'
    'SMS State Migration Point'          = 'STATE_MIGRATION_POINT'
    'SMS Enrollment Server'              = 'ENROLLMENT_POINT'
    'SMS Enrollment Web Site'            = 'ENROLLMENT_POINT'
    'SMS Endpoint Protection Point'      = 'ENDPOINT_PROTECTION_POINT'
    'SMS Certificate Registration Point' = 'CERTIFICATE_REGISTRATION_POINT'
    'AI Update Service Point'            = 'ASSET_INTELLIGENCE_SYNC_POINT'
    'Data Warehouse Service Point'       = 'DATA_WAREHOUSE_SERVICE_POINT'
    'SMS Data Warehouse Service Point'   = 'DATA_WAREHOUSE_SERVICE_POINT'
}

# snapshot.schema.json's machineId pattern; rows that do not match are left out (e.g. "Unknown Computer").
$MachineIdPattern = '^[a-z0-9][a-z0-9._:-]{0,127}$'

# A property's value, or $null when the item has no such property (strict mode would throw).
function Get-Value($Item, [string] $Name) {
    $property = $Item.PSObject.Properties[$Name]
    if ($property) { return $property.Value }
    return $null
}

function ConvertTo-CsvField([string] $Value) {
    if ($Value -match '[",\r\n]') { return '"' + $Value.Replace('"', '""') + '"' }
    return $Value
}

function Format-Utc($When) {
    if ($null -eq $When -or $When -is [System.DBNull] -or "$When" -eq '') { return '' }
    if ($When -isnot [datetime]) {
        $When = [datetime]::Parse("$When", [Globalization.CultureInfo]::InvariantCulture,
            [Globalization.DateTimeStyles]::AdjustToUniversal -bor [Globalization.DateTimeStyles]::AssumeUniversal)
    }
    # Times without a zone are taken as UTC already (the site database stores UTC: see README.md).
    if ($When.Kind -eq [DateTimeKind]::Local) { $When = $When.ToUniversalTime() }
    return $When.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
}

function Get-FromSiteDatabase {
    $query = Join-Path $PSScriptRoot 'Export-TlsRolloutInventory.sql'
    $arguments = @{
        ServerInstance = $SqlServer
        Database       = $Database
        InputFile      = $query
        QueryTimeout   = 600
    }
    if ($TrustServerCertificate) { $arguments.TrustServerCertificate = $true }
    Import-Module SqlServer -ErrorAction SilentlyContinue
    foreach ($row in Invoke-Sqlcmd @arguments) {
        $line = [ordered]@{}
        foreach ($column in $Columns) {
            $value = $row[$column]
            $line[$column] = if ($value -is [System.DBNull]) { '' } else { "$value" }
        }
        [pscustomobject] $line
    }
}

# Every item of an AdminService WMI class, page after page (OData: follow @odata.nextLink until it is absent).
function Get-AdminServiceItems([string] $Class, [string] $Select) {
    $uri = "https://$AdminServiceHost/AdminService/wmi/$Class" + $(if ($Select) { "?`$select=$Select" } else { '' })
    while ($uri) {
        $page = Invoke-RestMethod -Uri $uri -Method Get -UseDefaultCredentials -Headers @{ Accept = 'application/json' }
        foreach ($item in $page.value) { $item }
        $uri = [string] (Get-Value $page '@odata.nextLink')
    }
}

function Get-FromAdminService {
    $systems = Get-AdminServiceItems 'SMS_R_System' 'ResourceID,Name,NetbiosName,FullDomainName,Client,Obsolete,Decommissioned,SMSAssignedSites'
    $osByResource = @{}
    foreach ($os in Get-AdminServiceItems 'SMS_G_System_OPERATING_SYSTEM' 'ResourceID,Version') {
        $osByResource[[string] $os.ResourceID] = [string] $os.Version
    }
    $activeByResource = @{}
    foreach ($ch in Get-AdminServiceItems 'SMS_CH_ClientSummary' 'ResourceID,LastActiveTime') {
        $activeByResource[[string] $ch.ResourceID] = $ch.LastActiveTime
    }
    $rolesByServer = @{}
    $siteByServer = @{}
    foreach ($srl in Get-AdminServiceItems 'SMS_SystemResourceList' 'ServerName,RoleName,SiteCode') {
        $role = $RoleMap[[string] $srl.RoleName]
        if (-not $role) { continue }
        $server = ([string] $srl.ServerName).ToLowerInvariant()
        if (-not $rolesByServer.ContainsKey($server)) { $rolesByServer[$server] = New-Object System.Collections.Generic.SortedSet[string] }
        [void] $rolesByServer[$server].Add($role)
        if (-not $siteByServer.ContainsKey($server) -or [string] $srl.SiteCode -lt $siteByServer[$server]) {
            $siteByServer[$server] = [string] $srl.SiteCode
        }
    }

    # One record per name: the most recently active one (a rebuilt machine can leave an older record behind).
    $clients = @{}
    foreach ($s in $systems) {
        if ((Get-Value $s 'Client') -ne 1 -or (Get-Value $s 'Obsolete') -eq 1 -or (Get-Value $s 'Decommissioned') -eq 1) { continue }
        $netbios = [string] $(if (Get-Value $s 'NetbiosName') { Get-Value $s 'NetbiosName' } else { Get-Value $s 'Name' })
        if (-not $netbios) { continue }
        $netbios = $netbios.ToLowerInvariant()
        $domain = [string] (Get-Value $s 'FullDomainName')
        $id = if ($domain) { "$netbios.$($domain.ToLowerInvariant())" } else { $netbios }
        $key = [string] $s.ResourceID
        $active = $activeByResource[$key]
        $candidate = [pscustomobject]@{
            Id = $id; NetbiosName = $netbios; Active = $active; ResourceId = [long] $s.ResourceID
            Site = (@(Get-Value $s 'SMSAssignedSites') | Where-Object { $_ } | Sort-Object | Select-Object -First 1)
            Os = $osByResource[$key]
        }
        $held = $clients[$id]
        if ($null -eq $held -or [string](Format-Utc $active) -gt [string](Format-Utc $held.Active) -or
            ((Format-Utc $active) -eq (Format-Utc $held.Active) -and $candidate.ResourceId -gt $held.ResourceId)) {
            $clients[$id] = $candidate
        }
    }

    $rows = New-Object System.Collections.Generic.List[object]
    $servers = @{}
    foreach ($c in $clients.Values) {
        $roles = @()
        $site = $c.Site
        foreach ($name in @($c.Id, $c.NetbiosName)) {
            if ($rolesByServer.ContainsKey($name)) {
                $roles += $rolesByServer[$name]
                if (-not $site) { $site = $siteByServer[$name] }
                $servers[$name] = $true
            }
        }
        $os = [string] $c.Os
        $rows.Add([pscustomobject][ordered]@{
            machineId  = $c.Id
            siteCode   = [string] $site
            roles      = (($roles | Sort-Object -Unique) -join ';')
            osVersion  = $(if ($os -match '^[0-9]+\.[0-9]+\.[0-9]+$') { $os } else { '' })
            lastSeenAt = (Format-Utc $c.Active)
        })
    }
    foreach ($server in $rolesByServer.Keys) {
        if ($servers.ContainsKey($server)) { continue }
        $rows.Add([pscustomobject][ordered]@{
            machineId = $server; siteCode = $siteByServer[$server]; roles = ($rolesByServer[$server] -join ';')
            osVersion = ''; lastSeenAt = ''
        })
    }
    $rows
}

$rows = if ($PSCmdlet.ParameterSetName -eq 'Sql') { Get-FromSiteDatabase } else { Get-FromAdminService }

$text = New-Object System.Text.StringBuilder
[void] $text.Append(($Columns -join ',')).Append("`n")
$written = 0
$skipped = 0
foreach ($row in ($rows | Sort-Object machineId)) {
    if ($row.machineId -notmatch $MachineIdPattern -or -not $row.siteCode) { $skipped++; continue }
    $row.siteCode = ([string] $row.siteCode).ToUpperInvariant()
    [void] $text.Append((($Columns | ForEach-Object { ConvertTo-CsvField ([string] $row.$_) }) -join ',')).Append("`n")
    $written++
}
$OutFile = [System.IO.Path]::GetFullPath($OutFile)
[System.IO.File]::WriteAllText($OutFile, $text.ToString(), (New-Object System.Text.UTF8Encoding($false)))
Write-Host "wrote $written machines to $OutFile$(if ($skipped) { " ($skipped without a site code or a usable name left out)" })"

if ($PostTo) {
    if (-not $TokenFile) { throw '-PostTo needs -TokenFile, a file holding an operator token' }
    $token = (Get-Content -Raw -LiteralPath $TokenFile).Trim()
    # Windows PowerShell 5.1 may not offer TLS 1.2 by default; tlsrollout's services speak TLS 1.2 and 1.3 only.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    $answer = Invoke-RestMethod -Uri ($PostTo.TrimEnd('/') + '/api/v1/inventory') -Method Post -InFile $OutFile `
        -ContentType 'text/csv; charset=utf-8' -Headers @{ Authorization = "Bearer $token"; Accept = 'application/json' }
    Write-Host ("posted: received {0}, added {1}, updated {2}, unchanged {3}, rejected {4}" -f `
        $answer.received, $answer.added, $answer.updated, $answer.unchanged, @($answer.rejected).Count)
    foreach ($r in @($answer.rejected)) { Write-Warning "line $($r.line): $(($r.errors | ConvertTo-Json -Compress -Depth 4))" }
}

<#
.SYNOPSIS
  Installs the tlsrollout agent (agent/README.md). ConfigMgr runs it as SYSTEM from the package folder:
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File install.ps1
  The package folder holds, besides this zip's files, the estate's agent.properties, enroll.secret,
  signing-keys.json and (optionally) ca.pem. Exit codes as ConfigMgr reads them: 0 installed, 3010 installed
  and a restart is needed (this script never needs one), 1 failed.
  NEVER RUN ON WINDOWS by the project: written from Microsoft's documentation of the cmdlets and schtasks.exe.
#>
param(
  [string]$Config = (Join-Path $PSScriptRoot 'agent.properties'),
  [string]$EnrollSecretFile = (Join-Path $PSScriptRoot 'enroll.secret'),
  [string]$SigningKeysFile = (Join-Path $PSScriptRoot 'signing-keys.json'),
  [string]$CaFile = (Join-Path $PSScriptRoot 'ca.pem'),
  # java.exe of a Java 17+ runtime; default: <program folder>\jre\bin\java.exe, then JAVA_HOME, then PATH
  [string]$Java = '',
  [int]$IntervalMinutes = 15
)
$ErrorActionPreference = 'Stop'
$version = '${project.version}'
try {
  $program = Join-Path $env:ProgramFiles 'tlsrollout-agent'
  $data = Join-Path $env:ProgramData 'tlsrollout'

  # The program folder: the jar and its libraries (and a runtime under jre\ when the package carries one).
  New-Item -ItemType Directory -Force -Path $program | Out-Null
  Copy-Item -Force (Join-Path $PSScriptRoot 'tlsrollout-agent.jar') $program
  Copy-Item -Force -Recurse (Join-Path $PSScriptRoot 'lib') $program
  if (Test-Path (Join-Path $PSScriptRoot 'jre')) { Copy-Item -Force -Recurse (Join-Path $PSScriptRoot 'jre') $program }

  # The data folder: SYSTEM and Administrators only, inheritance off (SIDs, so any display language works).
  # Everything the agent creates in it (its private key, state) inherits this ACL.
  New-Item -ItemType Directory -Force -Path $data | Out-Null
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($sid in @('S-1-5-18', 'S-1-5-32-544')) {
    $id = New-Object System.Security.Principal.SecurityIdentifier($sid)
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($id, 'FullControl',
      'ContainerInherit,ObjectInherit', 'None', 'Allow')))
  }
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-544')))
  Set-Acl -Path $data -AclObject $acl

  # The configuration and its files, into the data folder; state.dir and the file settings point there.
  Copy-Item -Force $EnrollSecretFile (Join-Path $data 'enroll.secret')
  Copy-Item -Force $SigningKeysFile (Join-Path $data 'signing-keys.json')
  $lines = Get-Content -Path $Config | Where-Object { $_ -notmatch '^\s*(state\.dir|enroll\.secret\.file|signing\.keys\.file|ca\.file)\s*=' }
  $lines += 'state.dir=' + ((Join-Path $data 'state') -replace '\\', '\\')
  $lines += 'enroll.secret.file=' + ((Join-Path $data 'enroll.secret') -replace '\\', '\\')
  $lines += 'signing.keys.file=' + ((Join-Path $data 'signing-keys.json') -replace '\\', '\\')
  if (Test-Path $CaFile) {
    Copy-Item -Force $CaFile (Join-Path $data 'ca.pem')
    $lines += 'ca.file=' + ((Join-Path $data 'ca.pem') -replace '\\', '\\')
  }
  Set-Content -Path (Join-Path $data 'agent.properties') -Value $lines -Encoding UTF8

  # The Java runtime.
  if (-not $Java) {
    $bundled = Join-Path $program 'jre\bin\java.exe'
    if (Test-Path $bundled) { $Java = $bundled }
    elseif ($env:JAVA_HOME -and (Test-Path (Join-Path $env:JAVA_HOME 'bin\java.exe'))) { $Java = Join-Path $env:JAVA_HOME 'bin\java.exe' }
    else { $Java = (Get-Command java.exe -ErrorAction Stop).Source }
  }

  # What the scheduled tasks run (schtasks.exe /TR is limited to 261 characters): one cycle, its output logged.
  $cmd = Join-Path $program 'run-agent.cmd'
  Set-Content -Path $cmd -Encoding ASCII -Value @(
    '@echo off',
    ('"' + $Java + '" -jar "' + (Join-Path $program 'tlsrollout-agent.jar') + '" --config "' + (Join-Path $data 'agent.properties') + '" run >> "' + (Join-Path $data 'agent.log') + '" 2>&1')
  )

  # Scheduled tasks as SYSTEM (schtasks.exe: present on Windows 7 / Server 2008 R2 too): every N minutes and at startup.
  & schtasks.exe /Create /F /TN 'tlsrollout-agent' /RU SYSTEM /RL HIGHEST /SC MINUTE /MO $IntervalMinutes /TR ('"' + $cmd + '"') | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "schtasks /Create tlsrollout-agent exited $LASTEXITCODE" }
  & schtasks.exe /Create /F /TN 'tlsrollout-agent-startup' /RU SYSTEM /RL HIGHEST /SC ONSTART /TR ('"' + $cmd + '"') | Out-Null
  if ($LASTEXITCODE -ne 0) { throw "schtasks /Create tlsrollout-agent-startup exited $LASTEXITCODE" }

  # What detect.ps1 (or a registry detection rule) checks.
  New-Item -Force -Path 'HKLM:\SOFTWARE\tlsrollout\Agent' | Out-Null
  Set-ItemProperty -Path 'HKLM:\SOFTWARE\tlsrollout\Agent' -Name 'Version' -Value $version
  exit 0
} catch {
  Write-Error ("tlsrollout agent install failed: " + $_)
  exit 1
}

<#
.SYNOPSIS
  ConfigMgr detection script: prints "Installed" (and exits 0) when this version of the tlsrollout agent is
  installed: its jar is in the program folder, its task is registered and the detection value names this version.
  Prints nothing when it is not. Equivalent registry rule: HKLM\SOFTWARE\tlsrollout\Agent, value Version equals the
  version below. NEVER RUN ON WINDOWS by the project.
#>
$version = '${project.version}'
$jar = Join-Path $env:ProgramFiles 'tlsrollout-agent\tlsrollout-agent.jar'
$value = (Get-ItemProperty -Path 'HKLM:\SOFTWARE\tlsrollout\Agent' -Name 'Version' -ErrorAction SilentlyContinue).Version
& schtasks.exe /Query /TN 'tlsrollout-agent' 2>$null | Out-Null
if ((Test-Path $jar) -and ($value -eq $version) -and ($LASTEXITCODE -eq 0)) { Write-Output 'Installed' }
exit 0

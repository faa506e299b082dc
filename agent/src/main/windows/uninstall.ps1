<#
.SYNOPSIS
  Removes the tlsrollout agent: its scheduled tasks, its program folder and its detection value. The data folder
  (%ProgramData%\tlsrollout: the machine's key, the undo log) stays unless -RemoveState is given: keeping the key
  lets a reinstalled agent enroll again under the same identity, and the undo log lets a rollback still undo.
  Exit codes: 0 removed (or nothing to remove), 1 failed.
  NEVER RUN ON WINDOWS by the project.
#>
param([switch]$RemoveState)
$ErrorActionPreference = 'Stop'
try {
  foreach ($task in @('tlsrollout-agent', 'tlsrollout-agent-startup')) {
    & schtasks.exe /Query /TN $task 2>$null | Out-Null
    if ($LASTEXITCODE -eq 0) {
      & schtasks.exe /Delete /F /TN $task | Out-Null
      if ($LASTEXITCODE -ne 0) { throw "schtasks /Delete $task exited $LASTEXITCODE" }
    }
  }
  $program = Join-Path $env:ProgramFiles 'tlsrollout-agent'
  if (Test-Path $program) { Remove-Item -Recurse -Force $program }
  if (Test-Path 'HKLM:\SOFTWARE\tlsrollout\Agent') { Remove-Item -Recurse -Force 'HKLM:\SOFTWARE\tlsrollout\Agent' }
  if ($RemoveState) {
    $data = Join-Path $env:ProgramData 'tlsrollout'
    if (Test-Path $data) { Remove-Item -Recurse -Force $data }
  }
  exit 0
} catch {
  Write-Error ("tlsrollout agent uninstall failed: " + $_)
  exit 1
}

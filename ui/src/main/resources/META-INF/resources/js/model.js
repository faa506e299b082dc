// The contract's vocabulary (docs/contract/rules.md) and how the page names and formats it.

export const PHASES = [
  { key: 'CLIENTS', label: 'Clients', help: 'TLS 1.2 enabled on client machines' },
  { key: 'SITE_SYSTEMS', label: 'Site systems', help: 'TLS 1.2 enabled on site servers and remote site systems' },
  { key: 'VERIFY', label: 'Verify', help: 'Restarted, and TLS 1.2-only handshakes succeed' },
  { key: 'DISABLE_LEGACY', label: 'Disable legacy', help: 'SSL 3.0, TLS 1.0 and TLS 1.1 disabled in SChannel' },
];

/** Machine states in one phase, in the order the bars stack them: ready first, then what still needs work. */
export const STATES = [
  { key: 'COMPLIANT', label: 'Compliant' },
  { key: 'NOT_APPLICABLE', label: 'Not applicable' },
  { key: 'NONCOMPLIANT', label: 'Noncompliant' },
  { key: 'UNKNOWN', label: 'Unknown' },
  { key: 'PENDING_RESTART', label: 'Pending restart' },
  { key: 'STALE', label: 'Stale' },
];

/** The states in which the orphan gate counts a machine as ready. */
export const READY = ['COMPLIANT', 'NOT_APPLICABLE'];

export const WAVE_STATES = ['PLANNED', 'RUNNING', 'PAUSED', 'HALTED', 'COMPLETED', 'CANCELLED'];

export const ROLES = [
  'CLIENT', 'ADMIN_CONSOLE', 'SITE_SERVER', 'SECONDARY_SITE_SERVER', 'SITE_DATABASE_SERVER', 'SMS_PROVIDER',
  'MANAGEMENT_POINT', 'DEVICE_MANAGEMENT_POINT', 'DISTRIBUTION_POINT', 'MULTICAST_DISTRIBUTION_POINT',
  'SOFTWARE_UPDATE_POINT', 'STATE_MIGRATION_POINT', 'REPORTING_SERVICES_POINT', 'SERVICE_CONNECTION_POINT',
  'APPLICATION_CATALOG', 'ASSET_INTELLIGENCE_SYNC_POINT', 'ENROLLMENT_POINT', 'ENDPOINT_PROTECTION_POINT',
  'CERTIFICATE_REGISTRATION_POINT', 'DATA_WAREHOUSE_SERVICE_POINT',
];

export const OS_VERSIONS = [
  { key: '6.1', label: '6.1 · Windows 7 / Server 2008 R2' },
  { key: '6.2', label: '6.2 · Windows 8 / Server 2012' },
  { key: '6.3', label: '6.3 · Windows 8.1 / Server 2012 R2' },
  { key: '10.0', label: '10.0 · Windows 10, 11 / Server 2016+' },
];

/** What each rule checks, in a few words (rules.md). */
export const RULES = {
  WINHTTP_KB3140245: 'KB3140245 installed (WinHTTP TLS 1.2 support on Windows 7 / 8)',
  WINHTTP_DEFAULT_SECURE_PROTOCOLS: 'WinHTTP DefaultSecureProtocols includes TLS 1.2',
  SCHANNEL_TLS12_CLIENT: 'TLS 1.2 enabled in SChannel, client side',
  SCHANNEL_TLS12_SERVER: 'TLS 1.2 enabled in SChannel, server side',
  DOTNET_VERSION: '.NET Framework 4.6.2 or later',
  DOTNET_STRONG_CRYPTO: '.NET SchUseStrongCrypto set to 1',
  DOTNET_SYSTEM_DEFAULT_TLS: '.NET SystemDefaultTlsVersions set to 1',
  SQL_SERVER_TLS12: 'SQL Server build supports TLS 1.2 (KB3135244)',
  SQL_SECONDARY_SITE_VERSION: 'Secondary site SQL Server 2016 SP2 or later',
  SQL_NATIVE_CLIENT: 'SQL Server Native Client 11.*.7001 or later',
  WSUS_TLS12_UPDATE: 'WSUS TLS 1.2 update (KB4022721 / KB4022720)',
  FIPS_POLICY: 'FIPS policy off (else TLS 1.0 can still be negotiated)',
  DOTNET_48_CONSOLE: '.NET Framework 4.8 for the admin console',
  REBOOT_COMPLETED: 'Restarted since the change',
  TLS12_HANDSHAKE: 'TLS 1.2-only handshake to each site system succeeds',
  KNOWN_TLS_ERRORS: 'No known TLS error signature in ConfigMgr logs',
  SCHANNEL_LEGACY_DISABLED: 'SSL 3.0, TLS 1.0 and TLS 1.1 disabled in SChannel',
};

/** The seed documents rules cite (seeds/README.md). */
export const SEEDS = {
  '000': 'Update .NET Framework to support TLS 1.2',
  '001': 'How to enable TLS 1.2 for Configuration Manager',
  '002': 'How to enable TLS 1.2 on clients',
  '003': 'Connection Issue When TLS 1.2 Is Required',
  '004': 'How to enable TLS 1.2 on the site servers and remote site systems',
};

export function phaseLabel(key) {
  return PHASES.find((p) => p.key === key)?.label ?? key;
}

export function stateLabel(key) {
  return STATES.find((s) => s.key === key)?.label ?? key ?? '—';
}

/** CSS-friendly suffix of a state or status, e.g. NOT_APPLICABLE -> not-applicable. */
export function slug(key) {
  return String(key ?? 'none').toLowerCase().replace(/_/g, '-');
}

const numberFormat = new Intl.NumberFormat('en-US');
export function num(n) {
  return typeof n === 'number' && Number.isFinite(n) ? numberFormat.format(n) : '—';
}

export function pct(part, whole, digits = 0) {
  if (!whole) return '—';
  const p = (100 * part) / whole;
  if (p > 0 && p < 1 && digits === 0) return '<1%';
  if (p < 100 && p > 99 && digits === 0) return '>99%';
  return `${p.toFixed(digits)}%`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** An ISO-8601 instant as "2025-11-22 10:15 UTC" (the estate spans time zones; UTC is what logs show). */
export function utc(iso, withSeconds = false) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${withSeconds ? `:${pad(d.getUTCSeconds())}` : ''}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time} UTC`;
}

/** "3 min ago", "2 days ago". */
export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const s = Math.round((now - t) / 1000);
  if (s < 0) return 'in the future';
  if (s < 60) return 'just now';
  const units = [['day', 86400], ['h', 3600], ['min', 60]];
  for (const [unit, size] of units) {
    if (s >= size) {
      const n = Math.floor(s / size);
      return unit === 'day' ? `${n} day${n === 1 ? '' : 's'} ago` : `${n} ${unit} ago`;
    }
  }
  return '';
}

/** Sum of the counts of one phase (a {STATE: n} object). */
export function total(counts) {
  return Object.values(counts || {}).reduce((a, b) => a + (Number(b) || 0), 0);
}

export function ready(counts) {
  return READY.reduce((a, k) => a + (Number(counts?.[k]) || 0), 0);
}

/** One fix action as what it does and, for a registry write, where: {what, where}. */
export function actionParts(a) {
  if (a && a.type === 'SET_REGISTRY_DWORD') {
    const v = typeof a.value === 'number' ? `${a.value} (0x${a.value.toString(16).toUpperCase()})` : a.value;
    return { what: `Set ${a.name} = ${v}`, where: `in ${a.key}` };
  }
  return { what: describeAction(a), where: null };
}

/** One fix action in words (rules.md, "Action types in a fix job"). */
export function describeAction(a) {
  if (!a || typeof a !== 'object') return String(a);
  switch (a.type) {
    case 'SET_REGISTRY_DWORD': {
      const v = typeof a.value === 'number' ? `${a.value} (0x${a.value.toString(16).toUpperCase()})` : a.value;
      return `Set ${a.key}\\${a.name} = ${v}`;
    }
    case 'INSTALL_UPDATE': return `Install update ${a.kb}`;
    case 'INSTALL_SOFTWARE': return `Install ${a.product} ${a.minimumVersion ?? ''}`.trim();
    case 'RUN_PROBES': return 'Run the TLS 1.2 probes again';
    case 'RESTART': return a.reason ? `Restart (${a.reason})` : 'Restart';
    case 'RESTART_SERVICE': return `Restart the service ${a.service}`;
    default: return JSON.stringify(a);
  }
}

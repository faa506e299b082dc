// The signed-in user: the bearer token (sessionStorage, so it ends with the tab) and the roles the API grants it.

const TOKEN_KEY = 'tlsrollout.token';
let roles = [];
let message = null;

export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token, grantedRoles) {
    sessionStorage.setItem(TOKEN_KEY, token);
    roles = Array.isArray(grantedRoles) ? grantedRoles : [];
  },
  setRoles(grantedRoles) {
    roles = Array.isArray(grantedRoles) ? grantedRoles : [];
  },
  roles() {
    return roles;
  },
  hasRoles() {
    return roles.length > 0;
  },
  isOperator() {
    return roles.includes('operator');
  },
  /** The role shown in the header: the strongest one held. */
  role() {
    return roles.includes('operator') ? 'operator' : roles.includes('viewer') ? 'viewer' : null;
  },
  signOut(why = null) {
    sessionStorage.removeItem(TOKEN_KEY);
    roles = [];
    message = why;
  },
  /** The reason the user was sent back to sign-in, once. */
  takeMessage() {
    const m = message;
    message = null;
    return m;
  },
};

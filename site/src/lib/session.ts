/** Who is signed in (SWA's /.auth/me), shared by the shell and pages. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ClientPrincipal } from './api.js';

export const SessionContext = createContext<ClientPrincipal | null>(null);
export const useSession = (): ClientPrincipal | null => useContext(SessionContext);
export const isAdmin = (p: ClientPrincipal | null): boolean => p?.userRoles.includes('admin') ?? false;

export const loginUrl = (provider: 'aad' | 'google', returnTo: string): string => `/.auth/login/${provider}?post_login_redirect_uri=${encodeURIComponent(returnTo)}`;

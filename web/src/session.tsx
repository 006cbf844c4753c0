// Who is signed in, for every page: the API client, the user as GET /api/v1/session described
// them, and what the server grants them. Pages offer only what `can` allows; the server decides.
import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from './api/client.js';
import type { SignedInUser } from './api/session.js';

export type Capability = SignedInUser['capabilities'][number];

export interface Session {
  readonly api: Api;
  readonly user: SignedInUser;
  /** Whether the server grants the user this capability (GET /api/v1/session). */
  readonly can: (capability: Capability) => boolean;
  /** The user's name as the audit log writes it, without its `user:` prefix. */
  readonly name: string;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({
  api,
  user,
  children,
}: {
  readonly api: Api;
  readonly user: SignedInUser;
  readonly children: ReactNode;
}) {
  const session: Session = {
    api,
    user,
    can: (capability) => user.capabilities.includes(capability),
    name: user.actor.replace(/^user:/, ''),
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The signed-in session; only pages behind sign-in call it. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside the signed-in app');
  return session;
}

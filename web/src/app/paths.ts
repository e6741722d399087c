/** Where to send someone to sign in, remembering where they were. */
export function loginPath(returnTo: string): string {
  return returnTo && returnTo !== "/" && !returnTo.startsWith("/login")
    ? `/login?next=${encodeURIComponent(returnTo)}`
    : "/login";
}

/** A safe in-app path from a `?next=` value (never another origin). */
export function safeNext(next: string | null | undefined, fallback = "/"): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return fallback;
  }
  return next;
}

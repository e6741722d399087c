import { useQuery } from "@tanstack/react-query";
import { LogIn } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import { safeNext } from "@/app/paths";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { useDocumentTitle } from "@/components/ui/PageHeader";
import { AuthLayout } from "./AuthLayout";
import { meQuery, useLogin } from "./queries";

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Seconds left until `until` (epoch ms), ticking once a second; 0 when passed. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const t = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(t);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export function LoginPage() {
  useDocumentTitle("Sign in");
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const me = useQuery(meQuery);
  const login = useLogin();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const [missing, setMissing] = useState<{ username?: string; password?: string }>({});
  const wait = useCountdown(blockedUntil);

  if (me.data && !login.isPending && !login.isSuccess) return <Navigate to={next} replace />;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const empty = {
      username: username.trim() ? undefined : "Enter your username.",
      password: password ? undefined : "Enter your password.",
    };
    setMissing(empty);
    if (empty.username || empty.password) return;
    login.mutate(
      { username: username.trim(), password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (err) => {
          if (err instanceof ApiError && err.status === 429) {
            setBlockedUntil(Date.now() + (err.retryAfter ?? 60) * 1000);
          }
          if (err instanceof ApiError && err.status === 401) setPassword("");
        },
      },
    );
  }

  const error = login.error;
  const fields = error instanceof ApiError ? error.fieldErrors : {};
  const rateLimited = error instanceof ApiError && error.status === 429;

  return (
    <AuthLayout>
      <h1 className="text-lg font-semibold tracking-tight text-zinc-900">Sign in to dataops</h1>
      <p className="mt-1 text-sm text-zinc-500">Use the account your administrator gave you.</p>
      <form className="mt-6 flex flex-col gap-4" onSubmit={onSubmit} noValidate>
        {error &&
          (rateLimited ? (
            <Alert tone="warning" title="Too many failed attempts">
              {wait > 0
                ? `For your account's safety, sign-in is paused. Try again in ${formatWait(wait)}.`
                : "You can try again now."}
            </Alert>
          ) : error instanceof ApiError && error.status === 401 ? (
            <Alert tone="error" title="Incorrect username or password">
              Check both and try again. Passwords are case-sensitive.
            </Alert>
          ) : Object.keys(fields).length === 0 ? (
            <Alert tone="error" title="Couldn't sign in">
              {errorMessage(error)}
            </Alert>
          ) : null)}
        <Field label="Username" error={missing.username ?? fields.username}>
          {(p) => (
            <Input
              {...p}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Password" error={missing.password ?? fields.password}>
          {(p) => (
            <Input
              {...p}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <Button
          type="submit"
          variant="primary"
          size="lg"
          className="mt-2 w-full"
          loading={login.isPending}
          disabled={wait > 0}
          icon={<LogIn className="size-4" aria-hidden="true" />}
        >
          Sign in
        </Button>
      </form>
    </AuthLayout>
  );
}

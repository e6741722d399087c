import { useQuery } from "@tanstack/react-query";
import { ArrowLeft, LogOut } from "lucide-react";
import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { ApiError, errorMessage } from "@/api/errors";
import { safeNext } from "@/app/paths";
import { Alert } from "@/components/ui/Alert";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { useDocumentTitle } from "@/components/ui/PageHeader";
import { useToast } from "@/components/ui/Toast";
import { AuthLayout } from "./AuthLayout";
import { PASSWORD_HINT } from "./passwordPolicy";
import { meQuery, useChangePassword, useLogout } from "./queries";

/** Change one's own password; forced first when the account has a one-time password. */
export function SetPasswordPage() {
  const { data: me } = useQuery(meQuery);
  const forced = !!me?.must_change_password;
  const title = forced ? "Set a new password" : "Change password";
  useDocumentTitle(title);
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const toast = useToast();
  const change = useChangePassword();
  const logout = useLogout();
  const [current, setCurrent] = useState("");
  const [fresh, setFresh] = useState("");
  const [confirm, setConfirm] = useState("");
  const [local, setLocal] = useState<{ confirm?: string; new_password?: string }>({});

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const problems = {
      new_password:
        fresh && fresh === current
          ? "Choose a password different from the current one."
          : undefined,
      confirm: fresh !== confirm ? "The two new passwords don't match." : undefined,
    };
    setLocal(problems);
    if (problems.confirm || problems.new_password) return;
    change.mutate(
      { current_password: current, new_password: fresh },
      {
        onSuccess: () => {
          toast.success("Password updated", "Use your new password next time you sign in.");
          navigate(forced ? next : "/catalog", { replace: true });
        },
      },
    );
  }

  const error = change.error;
  const fields = error instanceof ApiError ? error.fieldErrors : {};
  const wrongCurrent =
    error instanceof ApiError &&
    (error.status === 401 || error.status === 403) &&
    !fields.current_password;
  const general = error && Object.keys(fields).length === 0 && !wrongCurrent;

  return (
    <AuthLayout>
      <h1 className="text-lg font-semibold tracking-tight text-zinc-900">{title}</h1>
      <p className="mt-1 text-sm text-zinc-500">
        {forced
          ? `Welcome${me ? `, ${me.display_name}` : ""}. Your account has a one-time password — choose your own to continue.`
          : "Choose a new password for signing in to dataops."}
      </p>
      <form className="mt-6 flex flex-col gap-4" onSubmit={onSubmit} noValidate>
        {general && (
          <Alert tone="error" title="Couldn't set the password">
            {errorMessage(error)}
          </Alert>
        )}
        <Field
          label="Current password"
          error={
            fields.current_password ??
            (wrongCurrent ? "The current password is incorrect." : undefined)
          }
          hint={forced ? "The one-time password you signed in with." : undefined}
        >
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="current-password"
              autoFocus
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              required
            />
          )}
        </Field>
        <Field
          label="New password"
          error={local.new_password ?? fields.new_password}
          hint={PASSWORD_HINT}
        >
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="new-password"
              value={fresh}
              onChange={(e) => setFresh(e.target.value)}
              required
            />
          )}
        </Field>
        <Field label="Confirm new password" error={local.confirm}>
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="new-password"
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              required
            />
          )}
        </Field>
        <Button
          type="submit"
          variant="primary"
          size="lg"
          className="mt-2 w-full"
          loading={change.isPending}
          disabled={!current || !fresh || !confirm}
        >
          Set password
        </Button>
      </form>
      <div className="mt-5 flex justify-center border-t border-zinc-100 pt-4">
        {forced ? (
          <button
            type="button"
            className="inline-flex items-center gap-1.5 text-sm text-zinc-500 hover:text-zinc-800"
            onClick={() => logout.mutate()}
          >
            <LogOut className="size-3.5" aria-hidden="true" />
            Sign out instead
          </button>
        ) : (
          <Link
            to="/catalog"
            className="inline-flex items-center gap-1.5 text-sm text-zinc-500 hover:text-zinc-800"
          >
            <ArrowLeft className="size-3.5" aria-hidden="true" />
            Back to dataops
          </Link>
        )}
      </div>
    </AuthLayout>
  );
}

import type { Clearance, Role } from "@/api/types";
import { Field } from "@/components/ui/Field";
import { Select } from "@/components/ui/Select";
import { useClearances, useRoles } from "@/features/meta/queries";

interface Props {
  role: Role;
  clearance: Clearance;
  onRole: (r: Role) => void;
  onClearance: (c: Clearance) => void;
  errors: Record<string, string>;
}

/** Role and clearance side by side; the role's description is the hint. */
export function RoleClearanceFields({ role, clearance, onRole, onClearance, errors }: Props) {
  const roles = useRoles();
  const clearances = useClearances();
  const described = roles.find((r) => r.name === role)?.description;
  return (
    <div className="grid grid-cols-2 gap-3">
      <Field label="Role" error={errors.role} hint={described}>
        {(p) => (
          <Select {...p} value={role} onChange={(e) => onRole(e.target.value as Role)}>
            {roles.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name.charAt(0).toUpperCase() + r.name.slice(1)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field
        label="Clearance"
        error={errors.clearance}
        hint="The highest classification this user may see."
      >
        {(p) => (
          <Select
            {...p}
            value={clearance}
            onChange={(e) => onClearance(e.target.value as Clearance)}
          >
            {clearances.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name} ({c.code})
              </option>
            ))}
          </Select>
        )}
      </Field>
    </div>
  );
}

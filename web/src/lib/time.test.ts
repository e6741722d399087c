import { describe, expect, it } from "vitest";
import { formatRelative, isPast } from "./time";

describe("time", () => {
  const now = new Date("2026-05-01T12:00:00Z");
  it("says how long ago, in words", () => {
    expect(formatRelative("2026-05-01T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2026-05-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatRelative("2026-04-30T12:00:00Z", now)).toBe("yesterday");
    expect(formatRelative("2026-07-30T12:00:00Z", now)).toBe("in 3 months");
  });
  it("knows when a moment has passed", () => {
    expect(isPast("2026-05-01T11:00:00Z", now)).toBe(true);
    expect(isPast(null, now)).toBe(false);
  });
});

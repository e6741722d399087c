import { Outlet } from "react-router";
import { Sidebar } from "./Sidebar";
import { TopBar } from "./TopBar";

export function AppShell() {
  return (
    <div className="flex h-screen overflow-hidden">
      <Sidebar />
      <div className="flex min-w-0 flex-1 flex-col">
        <TopBar />
        <main id="main" className="flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-6xl px-8 pt-8 pb-16">
            <Outlet />
          </div>
        </main>
      </div>
    </div>
  );
}

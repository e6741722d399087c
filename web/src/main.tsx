import "./index.css";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router/dom";
import { createQueryClient } from "./app/queryClient";
import { createAppRouter } from "./app/router";
import { sendToLogin } from "./app/sessionExpiry";
import { ToastProvider } from "./components/ui/Toast";

const router = createAppRouter();

// A 401 anywhere means the session ended: go to /login and come back here afterwards.
const queryClient = createQueryClient(() => sendToLogin(router, queryClient));

const root = document.getElementById("root");
if (!root) throw new Error("index.html is missing #root");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <RouterProvider router={router} />
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);

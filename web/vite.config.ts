import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The console is served by the control process at / (package web embeds
// dist/); in development `npm run dev -- --port 5173` proxies /v1 to a
// control process on :8080.
export default defineConfig({
  plugins: [react()],
  base: "/",
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1000 },
  server: { proxy: { "/v1": "http://127.0.0.1:8080" } },
});

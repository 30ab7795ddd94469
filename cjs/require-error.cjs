// webgpu-preexec is an ES module only; this file answers `require()` with a clear message.
throw new Error("webgpu-preexec is an ES module; use import() (or `import ... from 'webgpu-preexec'`) instead of require()");

// The CLI tests run the built `formbridge` command, as a user would. Build once per run, and
// only when a source file is newer than the build.
const { execSync } = require('node:child_process');
const { existsSync, statSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (/\.(ts|tsx|json|css|html)$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

module.exports = async () => {
  const root = join(__dirname, '..');
  const stamp = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
  const sources = Math.max(
    ...['apps', 'libs', 'bench'].filter((d) => existsSync(join(root, d))).map((d) => newest(join(root, d))),
  );
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
    try {
      execSync('npm run build', { cwd: root, stdio: 'inherit' });
    } catch {
      // Only the tests of the built CLI depend on this; they fail on their own and say why.
      process.stderr.write('global-setup: `npm run build` failed; CLI tests will fail\n');
    }
  }
};

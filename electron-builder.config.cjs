// Packaging for Linux, macOS and Windows: `npm run dist` (needs Electron's binary, i.e. online).
// The engine runs from its TypeScript sources in the utility process (Node strips the types), so
// src-main and resources ship as files; asar is off because Node does not strip types inside it.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'org.sgnn.studio',
  productName: 'SGNN Studio',
  copyright: 'MIT licence',
  directories: { output: 'dist', buildResources: 'resources/build' },
  extraMetadata: { main: 'out/main/main.js' },
  asar: false,
  files: [
    'out/**',
    'src-main/**/*.ts',
    'src-main/**/*.js', // jobs/worker-entry.js: what piscina loads in each pool worker
    '!src-main/electron/**',
    'resources/**',
    'package.json',
    '!**/*.map',
  ],
  fileAssociations: [
    { ext: 'sgnn', name: 'SGNN Studio project', description: 'SGNN Studio project', role: 'Editor', mimeType: 'application/x-sgnn-project' },
  ],
  linux: { target: ['AppImage', 'deb'], category: 'Science', mimeTypes: ['application/x-sgnn-project'] },
  mac: { target: ['dmg', 'zip'], category: 'public.app-category.education', hardenedRuntime: true },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
};

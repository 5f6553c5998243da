/**
 * Where the studio keeps per-machine data (models, settings, recent projects, the demo project):
 * $STUDIO_DATA_DIR, else the platform's user data folder. The app, the CLI and the browser-mode
 * server share it, so a model installed from one is there in the others.
 */
import os from 'node:os'
import path from 'node:path'

export function studioDataDir(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform, home: string = os.homedir()): string {
  if (env.STUDIO_DATA_DIR) return path.resolve(env.STUDIO_DATA_DIR)
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'persam-studio')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'persam-studio')
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'persam-studio')
}

/** The models folder and the model settings file inside a data folder. */
export function modelManagerPaths(dataDir: string): { readonly modelsDir: string; readonly settingsFile: string } {
  return { modelsDir: path.join(dataDir, 'models'), settingsFile: path.join(dataDir, 'model-settings.json') }
}

import { DeviceSettings, defaultDeviceSettings } from '@flurfunk/protocol';
import type { EncryptedFileCache } from '../files/encrypted-file-cache.js';
import { logError } from '../log.js';
import { openProfileFiles } from '../vault/profile-files.js';
import type { Vault } from '../vault/vault.js';

/** The one file of the store, named like every file of an encrypted file cache: by a UUID. */
const settingsFileId = '00000000-0000-4000-8000-000000005e77';

/**
 * The language and colour scheme chosen on this device, for every user of it: kept among the
 * profile's encrypted files, read at start so the first paint and the main process have them.
 */
export class DeviceSettingsStore {
  private saving: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly files: EncryptedFileCache,
    private current: DeviceSettings,
    private readonly onChange: (settings: DeviceSettings) => void,
  ) {}

  static async open(options: {
    dataDir: string;
    vault: Vault;
    profile: string;
    onChange: (settings: DeviceSettings) => void;
  }): Promise<DeviceSettingsStore> {
    const files = await openProfileFiles({ ...options, folder: 'settings' });
    const stored = await files
      .get(settingsFileId)
      .then((bytes) => (bytes === null ? null : DeviceSettings.parse(JSON.parse(bytes.toString('utf8')))))
      .catch((error: unknown) => {
        // Unreadable: the defaults, until the person chooses again.
        logError('reading the device settings', error);
        return null;
      });
    return new DeviceSettingsStore(files, stored ?? defaultDeviceSettings, options.onChange);
  }

  get(): DeviceSettings {
    return this.current;
  }

  /** Saves one choice after another, in the order made: the last one asked for is the one kept. */
  save(settings: DeviceSettings): Promise<DeviceSettings> {
    const step = this.saving.then(async () => {
      await this.files.put(settingsFileId, Buffer.from(JSON.stringify(settings)));
      this.current = settings;
      this.onChange(settings);
      return settings;
    });
    this.saving = step.catch(() => undefined);
    return step;
  }
}

/** The stylesheet rule that holds the chosen colour scheme; none to follow the system. */
export function themeRule(theme: DeviceSettings['theme']): string {
  return theme === 'system' ? '' : `:root:root {\n  color-scheme: ${theme};\n}\n`;
}

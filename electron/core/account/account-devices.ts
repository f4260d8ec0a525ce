import { DeviceList } from '@flurfunk/protocol';
import type { ServerSession } from '../session/server-session.js';

/** The devices signed in to the user's account, as the server knows them; all calls need it. */
export class AccountDevices {
  constructor(private readonly server: ServerSession) {}

  list(): Promise<DeviceList> {
    return this.server.get('/api/v1/me/devices', DeviceList, 'device list');
  }

  signOut(deviceId: string): Promise<DeviceList> {
    return this.server.change(
      'DELETE',
      `/api/v1/me/devices/${deviceId}`,
      undefined,
      DeviceList,
      'device list',
    );
  }

  signOutOthers(): Promise<DeviceList> {
    return this.server.post('/api/v1/me/devices/sign-out-others', undefined, DeviceList, 'device list');
  }
}

import { noteFor } from '../harness.js';

export const note = noteFor('chat');

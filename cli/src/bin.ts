#!/usr/bin/env node
/** The `fairio` executable: run the command line and exit with its code. */
import { main } from './main.js';

process.exitCode = await main(process.argv);

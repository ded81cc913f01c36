#!/usr/bin/env node
import "../dist/tasks/cli.js";

import { Injectable } from '@nestjs/common';
import { loadConfig, parseThreadCount } from '@formbridge/config';
import { ParsePool, ParseResult } from '@formbridge/forms';
import { ReadOptions, renderHtml } from '@formbridge/word';

@Injectable()
export class ParseService {
  private readonly parser: ParsePool;
  private readonly options: ReadOptions;

  constructor() {
    const config = loadConfig();
    // Off the event loop: /health and the other routes answer while files are parsed.
    this.parser = ParsePool.shared(parseThreadCount(config));
    this.options = {
      maxBytes: config.MAX_FILE_BYTES,
      zip: { maxEntryBytes: config.MAX_INFLATED_BYTES, maxEntries: 5000 },
      converter: { command: config.SOFFICE_PATH, timeoutMs: config.CONVERT_TIMEOUT_MS },
    };
  }

  parse(bytes: Uint8Array): Promise<ParseResult> {
    return this.parser.parse(bytes, this.options);
  }

  async preview(bytes: Uint8Array): Promise<{ html: string; messages: string[] }> {
    const { html, messages } = await renderHtml(bytes);
    return { html, messages };
  }
}

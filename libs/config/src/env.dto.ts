import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/**
 * Every environment variable FormBridge reads, validated once at start-up. Nothing else in the
 * code base reads process.env.
 */
export class EnvDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PARSER_PORT = 3001;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) GENERATOR_PORT = 3002;
  @IsOptional() @IsString() HOST = '0.0.0.0';
  /** Largest uploaded or imported file, in bytes. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) MAX_FILE_BYTES = 20 * 1024 * 1024;
  /** Largest inflated document part, in bytes (decompression-bomb cap). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) MAX_INFLATED_BYTES = 64 * 1024 * 1024;
  /** The LibreOffice executable used for .doc/.rtf. */
  @IsOptional() @IsString() SOFFICE_PATH = 'soffice';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) CONVERT_TIMEOUT_MS = 120_000;
  @IsOptional() @IsIn(['error', 'warn', 'log', 'debug']) LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' = 'log';
}

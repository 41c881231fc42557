using Microsoft.Extensions.Logging;

namespace SkRerank.Cli;

/// <summary>What a command needs from its host: output streams and logging.</summary>
internal sealed record CliContext(TextWriter Output, TextWriter Error, ILoggerFactory LoggerFactory);

namespace SkRerank.Cli.Composition;

/// <summary>An error the CLI reports as one line, without a stack trace.</summary>
internal sealed class CliException(string message, Exception? inner = null) : Exception(message, inner);

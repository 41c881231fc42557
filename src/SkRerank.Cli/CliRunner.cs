using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SkRerank.Cli.Composition;
using SkRerank.Movies;

namespace SkRerank.Cli;

/// <summary>
/// Runs a command body and turns the errors users cause (bad files, bad arguments, missing keys, service errors) into
/// one line on stderr and exit code 1; anything unexpected also gets one line, with the stack trace only under --verbose.
/// </summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken, Func<CliContext, CancellationToken, Task<int>> body)
    {
        var verbose = result.GetValue(CliOptions.Verbose);
        var error = Console.Error;
        using var loggerFactory = LoggerFactory.Create(builder => builder
            // One line per message: a warning (say, a cache that cannot be written) reads like the CLI's other lines.
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            // Polly logs every failed attempt with its stack trace; the final error already says what happened.
            .AddFilter("Polly", verbose ? LogLevel.Debug : LogLevel.None));
        try
        {
            return await body(new CliContext(Console.Out, error, loggerFactory), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("Cancelled.");
            return TerminationSignals.CancelledExitCode;
        }
        catch (Exception ex) when (IsUserFacing(ex))
        {
            error.WriteLine($"error: {Output.UserMessage.Of(ex)}");
            if (verbose) error.WriteLine(ex);
            return 1;
        }
        catch (Exception ex)
        {
            error.WriteLine($"error: {ex.GetType().Name}: {ex.Message} (run with --verbose for details)");
            if (verbose) error.WriteLine(ex);
            return 2;
        }
    }

    // Files a user named that cannot be read (permissions, a folder where a file was expected) are the user's to fix.
    private static bool IsUserFacing(Exception ex) => ex is CliException or MovieDatasetException or ArgumentException
        or OptionsValidationException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
        or FormatException or HttpRequestException
        || ex.GetType().Namespace?.StartsWith("SkRerank", StringComparison.Ordinal) == true;
}

using System.CommandLine;
using System.Text.RegularExpressions;

namespace SkRerank.Cli.Output;

/// <summary>Reports command-line parse errors as one line each on stderr, in words rather than .NET type names.</summary>
internal static partial class ParseErrors
{
    [GeneratedRegex(@"as expected type '(?<type>[^']+)'")]
    private static partial Regex ExpectedType();

    public static int Report(ParseResult parsed, TextWriter error)
    {
        foreach (var parseError in parsed.Errors)
            error.WriteLine($"error: {TerminalText.Neutralize(Readable(parseError.Message))}");
        var command = string.Join(' ', parsed.CommandResult.Command.Parents.OfType<Command>().Reverse().Select(c => c.Name)
            .Append(parsed.CommandResult.Command.Name).Where(n => n.Length > 0).Distinct());
        error.WriteLine($"Run '{(command.StartsWith("skrerank", StringComparison.Ordinal) ? command : "skrerank " + command).Trim()} --help' for usage.");
        return 1;
    }

    private static string Readable(string message) => ExpectedType().Replace(message, m => m.Groups["type"].Value switch
    {
        "System.Int32" or "System.Int64" => "as a whole number",
        "System.Double" or "System.Single" or "System.Nullable`1[System.Double]" => "as a number",
        "System.Boolean" => "as true or false",
        var other => $"as {other}",
    });
}

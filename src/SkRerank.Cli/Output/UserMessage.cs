namespace SkRerank.Cli.Output;

/// <summary>An exception's message as a user should read it: one line, without .NET's "(Parameter 'x')" suffix.</summary>
internal static class UserMessage
{
    public static string Of(Exception exception)
    {
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { } name })
        {
            var suffix = $" (Parameter '{name}')";
            var at = message.IndexOf(suffix, StringComparison.Ordinal);
            if (at >= 0) message = message.Remove(at, suffix.Length);
        }
        return TerminalText.Neutralize(message.ReplaceLineEndings(" "));
    }
}

namespace SkRerank.Reranking;

/// <summary>
/// Thrown by <see cref="ChatCompletionReranker"/> when no reply from the model could be used. It derives from
/// <see cref="InvalidOperationException"/> so fail-open callers that catch that (or any exception) fall back to the
/// first-stage order.
/// </summary>
public sealed class ChatRerankException : InvalidOperationException
{
    /// <summary>How much of the model's reply the message quotes.</summary>
    public const int SnippetLength = 200;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="modelOutput">The unusable reply, kept whole for diagnostics; the message quotes a truncated snippet.</param>
    public ChatRerankException(string message, string? modelOutput)
        : base(message)
    {
        ModelOutput = modelOutput;
    }

    /// <summary>The reply that could not be used, if there was one.</summary>
    public string? ModelOutput { get; }

    /// <summary>The first <see cref="SnippetLength"/> characters of <paramref name="output"/>, on one line, for messages.</summary>
    internal static string Snippet(string? output)
    {
        if (string.IsNullOrWhiteSpace(output)) return "(empty)";
        var oneLine = string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (oneLine.Length <= SnippetLength) return oneLine;
        // Never split a surrogate pair: half a character would make the message invalid UTF-16.
        var cut = char.IsHighSurrogate(oneLine[SnippetLength - 1]) ? SnippetLength - 1 : SnippetLength;
        return oneLine[..cut] + "…";
    }
}

using System.Globalization;
using System.Text;

namespace SkRerank.Reranking;

/// <summary>Builds the user message for one prompt from the template, the query and that prompt's documents.</summary>
internal static class ChatRerankPrompt
{
    /// <summary>Fills <paramref name="template"/>; documents are numbered from 1 in the order given.</summary>
    public static string Build(string template, string query, IEnumerable<string?> documents, int maxGrade, int? maxDocumentCharacters)
    {
        var list = new StringBuilder();
        var count = 0;
        foreach (var document in documents)
        {
            count++;
            if (list.Length > 0) list.Append('\n');
            list.Append('[').Append(count.ToString(CultureInfo.InvariantCulture)).Append("] ")
                .Append(Truncate(OneLine(document), maxDocumentCharacters));
        }

        // Documents go in last so text inside them cannot be mistaken for a placeholder.
        return template
            .Replace(ChatCompletionRerankerOptions.QueryPlaceholder, OneLine(query), StringComparison.Ordinal)
            .Replace(ChatCompletionRerankerOptions.CountPlaceholder, count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(ChatCompletionRerankerOptions.MaxGradePlaceholder, maxGrade.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(ChatCompletionRerankerOptions.DocumentsPlaceholder, list.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Collapses whitespace so each document is exactly one "[n] …" line; a document's own line breaks could otherwise
    /// look like the start of another numbered document.
    /// </summary>
    public static string OneLine(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "" : string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxCharacters"/> characters plus "…", preferring a word boundary in the last fifth.</summary>
    public static string Truncate(string text, int? maxCharacters)
    {
        if (maxCharacters is not { } max || text.Length <= max) return text;
        var cut = max;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        var space = text.LastIndexOf(' ', cut);
        if (space >= max * 4 / 5) cut = space;
        return text[..cut].TrimEnd() + "…";
    }
}

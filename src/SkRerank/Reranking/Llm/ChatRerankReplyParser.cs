using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SkRerank.Reranking;

/// <summary>
/// Reads model replies leniently. Models wrap JSON in code fences, add prose before or after, stop mid-object when
/// they run out of tokens, repeat or invent document numbers, or use a neighbouring format. Every reading the parser
/// knows is tried, and the one that accounts for the most documents wins (ties go to the strict JSON reading), so a
/// stray "[2]" in prose never beats a full answer.
/// </summary>
internal static partial class ChatRerankReplyParser
{
    // Replies are short; these caps only bound the work on a pathological reply.
    private const int MaxScannedCharacters = 64 * 1024;
    private const int MaxJsonAttempts = 256;

    private static readonly string[] IndexKeys = ["index", "id", "doc", "document", "doc_id", "document_id", "number", "idx"];
    private static readonly string[] GradeKeys = ["grade", "score", "relevance", "relevance_score", "rating", "label"];
    private static readonly string[] RankingKeys = ["ranking", "rankings", "ranked", "order", "permutation", "rank"];

    /// <summary>Reads grades for <paramref name="count"/> documents numbered from 1, on the scale 0..<paramref name="maxGrade"/>.</summary>
    public static PointwiseReply ParsePointwise(string? reply, int count, int maxGrade)
    {
        var text = Clean(reply);
        if (text.Length == 0) return new PointwiseReply(new double?[count], 0, "the reply is empty");

        PointwiseReply? best = null;
        foreach (var json in JsonValues(text))
        {
            if (ReadGrades(json, count, maxGrade) is { } candidate && candidate.Graded > (best?.Graded ?? 0))
                best = candidate;
        }

        // Salvage "index/grade" pairs from a reply whose JSON is cut off or broken.
        var salvaged = new double?[count];
        var salvageRejected = 0;
        foreach (Match match in GradeEntryRegex().Matches(text))
        {
            AcceptGrade(salvaged, maxGrade, ParseNumber(match.Groups["index"].Value), ParseGrade(match.Groups["grade"].Value), ref salvageRejected);
        }
        var salvage = new PointwiseReply(salvaged, salvageRejected, null);
        if (salvage.Graded > (best?.Graded ?? 0)) best = salvage;

        return best is { Graded: > 0 }
            ? best
            : new PointwiseReply(new double?[count], best?.Rejected ?? salvageRejected,
                $"no {{\"index\",\"grade\"}} entry had a document number from 1 to {count} and a grade from 0 to {maxGrade}");
    }

    /// <summary>Reads a ranking of <paramref name="count"/> documents numbered from 1.</summary>
    public static ListwiseReply ParseListwise(string? reply, int count)
    {
        var text = Clean(reply);
        if (text.Length == 0) return new ListwiseReply([], 0, "the reply is empty");

        ListwiseReply? best = null;
        void Consider(IEnumerable<int?> numbers)
        {
            var candidate = AcceptRanking(numbers, count);
            if (candidate.Ranking.Length > (best?.Ranking.Length ?? 0)) best = candidate;
        }

        foreach (var json in JsonValues(text))
        {
            if (ReadRanking(json) is { } numbers) Consider(numbers);
        }

        // {"ranking":[3,1,  — cut off before the closing bracket.
        foreach (Match match in OpenRankingListRegex().Matches(text))
            Consider(NumberRegex().Matches(match.Groups["list"].Value).Select(m => ParseNumber(m.Value)));

        // [3] > [1] > [2]  (RankGPT), or numbers in brackets through prose.
        Consider(BracketedNumberRegex().Matches(text).Select(m => ParseNumber(m.Groups["n"].Value)));

        // 3 > 1 > 2
        foreach (Match match in ChainRegex().Matches(text))
            Consider(NumberRegex().Matches(match.Value).Select(m => ParseNumber(m.Value)));

        return best is { Ranking.Length: > 0 }
            ? best
            : new ListwiseReply([], best?.Rejected ?? 0, $"no ranking with document numbers from 1 to {count} was found");
    }

    private static string Clean(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply)) return "";
        // Reasoning models may think aloud in <think> blocks; the numbers in there are not the answer.
        var text = ThinkBlockRegex().Replace(reply, " ").Trim();
        return text.Length > MaxScannedCharacters ? text[..MaxScannedCharacters] : text;
    }

    /// <summary>Every complete JSON value that starts at a '{' or '[' in the text, in order, skipping past each one found.</summary>
    private static IEnumerable<JsonElement> JsonValues(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var attempts = 0;
        for (var i = 0; i < bytes.Length && attempts < MaxJsonAttempts; i++)
        {
            if (bytes[i] is not ((byte)'{' or (byte)'[')) continue;
            attempts++;
            if (TryParseValueAt(bytes, i, out var value, out var length))
            {
                yield return value;
                i += length - 1;
            }
        }
    }

    private static bool TryParseValueAt(byte[] bytes, int start, out JsonElement value, out int length)
    {
        var reader = new Utf8JsonReader(bytes.AsSpan(start), new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
        });
        try
        {
            value = JsonElement.ParseValue(ref reader);
            length = (int)reader.BytesConsumed;
            return true;
        }
        catch (JsonException)
        {
            value = default;
            length = 0;
            return false;
        }
    }

    private static PointwiseReply? ReadGrades(JsonElement element, int count, int maxGrade)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                var items = element.EnumerateArray().ToList();
                if (items.Count == 0) return null;
                if (items.Any(IsGradeEntry))
                {
                    var grades = new double?[count];
                    var rejected = 0;
                    foreach (var item in items)
                    {
                        if (IsGradeEntry(item))
                            AcceptGrade(grades, maxGrade, ReadNumber(Property(item, IndexKeys)), ReadGrade(Property(item, GradeKeys)), ref rejected);
                        else
                            rejected++;
                    }
                    return new PointwiseReply(grades, rejected, null);
                }
                // {"grades":[3,0,1]}: positional grades are only unambiguous when there is one per document.
                if (items.Count == count && items.All(i => i.ValueKind is JsonValueKind.Number or JsonValueKind.String))
                {
                    var grades = new double?[count];
                    var rejected = 0;
                    for (var i = 0; i < count; i++) AcceptGrade(grades, maxGrade, i + 1, ReadGrade(items[i]), ref rejected);
                    return new PointwiseReply(grades, rejected, null);
                }
                return items.Select(i => ReadGrades(i, count, maxGrade)).Where(r => r is not null).MaxBy(r => r!.Graded);

            case JsonValueKind.Object:
                var properties = element.EnumerateObject().ToList();
                // {"1": 3, "2": 0}: document numbers as keys.
                if (properties.Count > 0 && properties.All(p => ParseNumber(p.Name) is not null))
                {
                    var grades = new double?[count];
                    var rejected = 0;
                    foreach (var property in properties) AcceptGrade(grades, maxGrade, ParseNumber(property.Name), ReadGrade(property.Value), ref rejected);
                    return new PointwiseReply(grades, rejected, null);
                }
                return properties.Select(p => ReadGrades(p.Value, count, maxGrade)).Where(r => r is not null).MaxBy(r => r!.Graded);

            default:
                return null;
        }
    }

    private static bool IsGradeEntry(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && Property(element, IndexKeys) is not null && Property(element, GradeKeys) is not null;

    private static void AcceptGrade(double?[] grades, int maxGrade, int? number, double? grade, ref int rejected)
    {
        if (number is not { } n || n < 1 || n > grades.Length || grades[n - 1] is not null
            || grade is not { } g || !double.IsFinite(g) || g < 0 || g > maxGrade)
        {
            // Duplicates keep the first grade: a model that repeats a number is more often appending than correcting.
            rejected++;
            return;
        }
        grades[n - 1] = g;
    }

    private static IEnumerable<int?>? ReadRanking(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                var items = element.EnumerateArray().ToList();
                if (items.Count > 0 && items.All(i => i.ValueKind is JsonValueKind.Number or JsonValueKind.String))
                    return items.Select(i => ReadNumber(i));
                // [{"index":3}, {"index":1}]
                if (items.Count > 0 && items.All(i => i.ValueKind == JsonValueKind.Object && Property(i, IndexKeys) is not null))
                    return items.Select(i => ReadNumber(Property(i, IndexKeys)));
                return null;

            case JsonValueKind.Object:
                if (Property(element, RankingKeys) is { } ranking && ReadRanking(ranking) is { } named) return named;
                foreach (var property in element.EnumerateObject())
                {
                    if (ReadRanking(property.Value) is { } nested) return nested;
                }
                return null;

            default:
                return null;
        }
    }

    private static ListwiseReply AcceptRanking(IEnumerable<int?> numbers, int count)
    {
        var seen = new bool[count];
        var ranking = new List<int>(count);
        var rejected = 0;
        foreach (var number in numbers)
        {
            // Repeats keep the first (highest) position; unknown numbers are dropped.
            if (number is not { } n || n < 1 || n > count || seen[n - 1])
            {
                rejected++;
                continue;
            }
            seen[n - 1] = true;
            ranking.Add(n - 1);
        }
        return new ListwiseReply([.. ranking], rejected, null);
    }

    private static JsonElement? Property(JsonElement element, string[] names)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in element.EnumerateObject())
        {
            if (names.Contains(property.Name.Trim(), StringComparer.OrdinalIgnoreCase)) return property.Value;
        }
        return null;
    }

    private static int? ReadNumber(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue => (int)d,
        { ValueKind: JsonValueKind.String } e => ParseNumber(e.GetString()),
        _ => null,
    };

    private static double? ReadGrade(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Number } e when e.TryGetDouble(out var d) => d,
        { ValueKind: JsonValueKind.String } e => ParseGrade(e.GetString()),
        _ => null,
    };

    /// <summary>"3", "[3]", "#3", "doc 3", "Document 3" → 3.</summary>
    private static int? ParseNumber(string? text) =>
        text is not null && DocumentNumberRegex().Match(text) is { Success: true } match
        && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;

    private static double? ParseGrade(string? text) =>
        double.TryParse(text?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var grade) ? grade : null;

    [GeneratedRegex(@"<think>.*?(</think>|$)", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ThinkBlockRegex();

    [GeneratedRegex(@"^\s*(\[|#|doc(ument)?\s*#?)?\s*(?<n>\d{1,9})\s*\]?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex DocumentNumberRegex();

    [GeneratedRegex(@"""?(index|id|doc|document|doc_id|document_id|number|idx)""?\s*[:=]\s*""?(?<index>\d{1,9})""?\s*,\s*""?(grade|score|relevance|relevance_score|rating|label)""?\s*[:=]\s*""?(?<grade>-?\d+(\.\d+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex GradeEntryRegex();

    [GeneratedRegex(@"""?(ranking|rankings|ranked|order|permutation|rank)""?\s*:\s*\[(?<list>[\d\s,""\[\]]*)", RegexOptions.IgnoreCase)]
    private static partial Regex OpenRankingListRegex();

    [GeneratedRegex(@"\[\s*(?<n>\d{1,9})\s*\]")]
    private static partial Regex BracketedNumberRegex();

    [GeneratedRegex(@"\d{1,9}(\s*>\s*\d{1,9})+")]
    private static partial Regex ChainRegex();

    [GeneratedRegex(@"\d{1,9}")]
    private static partial Regex NumberRegex();
}

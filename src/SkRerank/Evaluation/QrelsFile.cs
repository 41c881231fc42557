using System.Text.Json;

namespace SkRerank.Evaluation;

/// <summary>Reads judged queries from JSON Lines: <c>{"id", "query", "kind"?, "judgments": {"docId": grade}}</c> per line.</summary>
public static class QrelsFile
{
    /// <summary>Loads a qrels file; errors name the line.</summary>
    /// <exception cref="FormatException">A line is not valid JSON or lacks id, query or judgments.</exception>
    public static async Task<IReadOnlyList<JudgedQuery>> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Qrels file not found: {path}", path);
        var queries = new List<JudgedQuery>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var id = root.GetProperty("id").GetString() ?? throw new FormatException("id is null");
                var query = root.GetProperty("query").GetString() ?? throw new FormatException("query is null");
                var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
                var judgments = new Dictionary<int, int>();
                foreach (var p in root.GetProperty("judgments").EnumerateObject())
                    judgments[int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)] = p.Value.GetInt32();
                queries.Add(new JudgedQuery(id, query, judgments, kind));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"{path}:{lineNumber}: not a judged query ({ex.Message})", ex);
            }
        }
        return queries;
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using SkRerank.Search;

namespace SkRerank.Cli.Output;

/// <summary>Prints a search the way the cookbook does: first-stage candidates and reranked results side by side.</summary>
internal static class SearchPrinter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The <c>--json</c> object (a contract: field names are fixed).</summary>
    public static JsonObject ToJson(MovieSearchResponse response) => new()
    {
        ["query"] = response.Query,
        ["candidates"] = new JsonArray(response.Candidates.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Movie.Id,
            ["title"] = c.Movie.Title,
            ["score"] = Math.Round(c.VectorScore, 6),
        }).ToArray()),
        ["results"] = new JsonArray(response.Results.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Movie.Id,
            ["title"] = r.Movie.Title,
            ["relevanceScore"] = Math.Round(r.RelevanceScore, 6),
            ["vectorScore"] = Math.Round(r.VectorScore, 6),
            ["rank"] = r.Rank,
            ["candidateRank"] = r.CandidateRank,
        }).ToArray()),
        ["reranked"] = response.Reranked,
        ["rerankError"] = response.RerankError,
        ["reranker"] = response.Reranker is null ? null : $"{response.Reranker.ProviderName}/{response.Reranker.ModelId}",
        ["timings"] = new JsonObject
        {
            ["embedMs"] = Math.Round(response.Timings.EmbedMs, 3),
            ["searchMs"] = Math.Round(response.Timings.SearchMs, 3),
            ["rerankMs"] = Math.Round(response.Timings.RerankMs, 3),
        },
    };

    public static void WriteJson(TextWriter writer, MovieSearchResponse response) =>
        writer.WriteLine(ToJson(response).ToJsonString(Indented));

    public static void WriteTable(TextWriter writer, MovieSearchResponse response, string firstStageName)
    {
        const int titleWidth = 38;
        static string Fit(string s, int width) => s.Length <= width ? s.PadRight(width) : s[..(width - 1)] + "…";

        writer.WriteLine($"Query: {response.Query}");
        writer.WriteLine();
        var left = $"Stage 1: {firstStageName} (top {response.Candidates.Count})";
        var right = response.Reranked
            ? $"Stage 2: reranked by {response.Reranker?.ModelId ?? "reranker"} (top {response.Results.Count})"
            : $"Stage 2: not reranked{(response.RerankError is null ? "" : " (reranker failed)")} (top {response.Results.Count})";
        writer.WriteLine($"{Fit(left, titleWidth + 12)}   {right}");
        writer.WriteLine($"{new string('-', titleWidth + 12)}   {new string('-', titleWidth + 20)}");
        var rows = Math.Max(response.Candidates.Count, response.Results.Count);
        for (var i = 0; i < rows; i++)
        {
            var l = i < response.Candidates.Count
                ? $"{i + 1,3}. {Fit(response.Candidates[i].Movie.Title, titleWidth)} {response.Candidates[i].VectorScore,6:0.000}"
                : new string(' ', titleWidth + 12);
            var r = i < response.Results.Count
                ? $"{i + 1,3}. {Fit(response.Results[i].Movie.Title, titleWidth)} {response.Results[i].RelevanceScore,7:0.000}  (was #{response.Results[i].CandidateRank})"
                : "";
            writer.WriteLine($"{l}   {r}".TrimEnd());
        }
        writer.WriteLine();
        if (response.RerankError is not null) writer.WriteLine($"Reranker failed, showing first-stage order: {response.RerankError}");
        writer.WriteLine($"Timings: embed {response.Timings.EmbedMs:0.0} ms, search {response.Timings.SearchMs:0.0} ms, rerank {response.Timings.RerankMs:0.0} ms");
    }
}

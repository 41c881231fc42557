using System.Text.Json;
using System.Text.Json.Nodes;
using SkRerank.Movies;
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

    /// <summary>The narrowest table; narrower terminals get it anyway (wrapped by the terminal).</summary>
    public const int MinWidth = 80;

    /// <summary>
    /// The width to print for: the terminal's, else <c>$COLUMNS</c>, else 100 (output to a file or pipe), never below
    /// <see cref="MinWidth"/>.
    /// </summary>
    public static int TerminalWidth()
    {
        var width = 0;
        try
        {
            if (!Console.IsOutputRedirected) width = Console.WindowWidth;
        }
        catch (IOException)
        {
        }
        if (width <= 0 && int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns)) width = columns;
        if (width <= 0) width = 100;
        return Math.Max(MinWidth, width);
    }

    /// <summary>How many first-stage candidates the table lists.</summary>
    internal const int MaxCandidatesShown = 25;

    /// <summary>Prints the search for a terminal of <see cref="TerminalWidth"/> columns.</summary>
    public static void WriteTable(TextWriter writer, MovieSearchResponse response, string firstStageName, string firstStageScore) =>
        WriteTable(writer, response, firstStageName, firstStageScore, TerminalWidth());

    /// <summary>
    /// Prints the candidates and the reranked results side by side when <paramref name="width"/> allows readable
    /// titles (100 columns and up), one after the other below that; no line is longer than <paramref name="width"/>.
    /// Every piece of text from the query or the data is neutralised (<see cref="TerminalText"/>).
    /// </summary>
    public static void WriteTable(TextWriter writer, MovieSearchResponse response, string firstStageName, string firstStageScore, int width)
    {
        width = Math.Max(MinWidth, width);
        static string Fit(string s, int w) => s.Length <= w ? s.PadRight(w) : s[..(w - 1)] + "…";
        string Title(Movie m) => TerminalText.Neutralize(m.Title);

        foreach (var line in Wrap($"Query: {TerminalText.Neutralize(response.Query)}", width)) writer.WriteLine(line);
        foreach (var line in Wrap($"Stage 1: {firstStageName}; {response.Candidates.Count} candidates, score = {firstStageScore}", width)) writer.WriteLine(line);
        var secondHeader = response.Reranked
            ? $"Stage 2: {ModelNames.Reranker(response.Reranker)}; top {response.Results.Count}, score = {ModelNames.RelevanceLabel(response.Reranker)}"
            : $"Stage 2: not reranked{(response.RerankError is null ? "" : " (the reranker failed)")}; top {response.Results.Count} in first-stage order, score = stage 1's";
        foreach (var line in Wrap(secondHeader, width)) writer.WriteLine(line);
        writer.WriteLine();

        // The local reranker reads 150 candidates; a screen shows the cookbook's 25 (and every result, whatever its rank).
        var shown = Math.Min(response.Candidates.Count, MaxCandidatesShown);
        // "  1. title  score" | "  1. title  score  (was #12)"
        const int leftFixed = 5 + 1 + 7;
        const int rightFixed = 5 + 1 + 7 + 10;
        var sideTitle = Math.Min(38, (width - leftFixed - rightFixed - 3) / 2);
        string Left(int i) => $"{i + 1,3}. {Fit(Title(response.Candidates[i].Movie), sideTitle)} {response.Candidates[i].VectorScore,7:0.000}";
        string Right(int i, int titleWidth) =>
            $"{i + 1,3}. {Fit(Title(response.Results[i].Movie), titleWidth)} {response.Results[i].RelevanceScore,7:0.000}  (was #{response.Results[i].CandidateRank})";

        if (sideTitle >= 24)
        {
            writer.WriteLine($"{Fit("Stage 1 candidates", sideTitle + leftFixed)}   Stage 2 results");
            writer.WriteLine($"{new string('-', sideTitle + leftFixed)}   {new string('-', sideTitle + rightFixed)}");
            var rows = Math.Max(shown, response.Results.Count);
            for (var i = 0; i < rows; i++)
            {
                var l = i < shown ? Left(i) : new string(' ', sideTitle + leftFixed);
                var r = i < response.Results.Count ? Right(i, sideTitle) : "";
                writer.WriteLine($"{l}   {r}".TrimEnd());
            }
        }
        else
        {
            var titleWidth = Math.Min(50, width - rightFixed);
            writer.WriteLine("Stage 2 results");
            writer.WriteLine(new string('-', titleWidth + rightFixed));
            for (var i = 0; i < response.Results.Count; i++) writer.WriteLine(Right(i, titleWidth));
            writer.WriteLine();
            writer.WriteLine("Stage 1 candidates");
            writer.WriteLine(new string('-', titleWidth + leftFixed));
            for (var i = 0; i < shown; i++)
                writer.WriteLine($"{i + 1,3}. {Fit(Title(response.Candidates[i].Movie), titleWidth)} {response.Candidates[i].VectorScore,7:0.000}");
        }
        if (shown < response.Candidates.Count)
            writer.WriteLine($"  … and {response.Candidates.Count - shown} more candidates (--json lists them all)");
        writer.WriteLine();
        if (response.RerankError is not null)
            foreach (var line in Wrap($"Reranker failed, showing first-stage order: {TerminalText.Neutralize(response.RerankError)}", width)) writer.WriteLine(line);
        writer.WriteLine($"Timings: embed {response.Timings.EmbedMs:0.0} ms, search {response.Timings.SearchMs:0.0} ms, rerank {response.Timings.RerankMs:0.0} ms");
    }

    /// <summary>Breaks <paramref name="text"/> at spaces into lines of at most <paramref name="width"/>; continuation lines are indented.</summary>
    internal static IEnumerable<string> Wrap(string text, int width)
    {
        const string indent = "    ";
        var line = "";
        foreach (var word in text.Split(' '))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (candidate.Length <= width || line.Trim().Length == 0)
            {
                line = candidate;
                continue;
            }
            yield return line;
            line = indent + word;
        }
        // A single word longer than the line (a long URL) is cut rather than overflow.
        while (line.Length > width)
        {
            yield return line[..(width - 1)] + "…";
            line = "";
        }
        if (line.Length > 0) yield return line;
    }
}

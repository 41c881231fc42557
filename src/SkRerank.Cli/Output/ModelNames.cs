using System.Text.RegularExpressions;
using SkRerank.Reranking;

namespace SkRerank.Cli.Output;

/// <summary>Names models fully but compactly for the table's headers, and says what each reranker's score is.</summary>
internal static partial class ModelNames
{
    [GeneratedRegex(@"^(?<name>[^()]+)\((?<terms>.+)\)$")]
    private static partial Regex Composite();

    /// <summary>
    /// "local-fusion(1*snowflake-arctic-embed-xs-int8-cosine+1*all-MiniLM-L6-v2-cosine+0.5*bm25)" becomes
    /// "local-fusion reranker: cosine under snowflake-arctic-embed-xs-int8 and all-MiniLM-L6-v2 + 0.5 × BM25";
    /// any other model is shown as provider/model.
    /// </summary>
    public static string Reranker(RerankerMetadata? metadata)
    {
        if (metadata is null) return "reranker";
        var id = TerminalText.Neutralize(metadata.ModelId ?? "");
        if (Composite().Match(id) is { Success: true } match)
        {
            var cosines = new List<string>();
            var others = new List<string>();
            foreach (var term in match.Groups["terms"].Value.Split('+'))
            {
                var parts = term.Split('*', 2);
                var (weight, signal) = parts.Length == 2 ? (parts[0], parts[1]) : ("1", parts[0]);
                var weighted = weight == "1" ? "" : $"{weight} × ";
                if (signal.EndsWith("-cosine", StringComparison.Ordinal)) cosines.Add(weighted + signal[..^"-cosine".Length]);
                else others.Add(weighted + (signal == "bm25" ? "BM25" : signal));
            }
            var described = cosines.Count > 0 ? $"cosine under {string.Join(" and ", cosines)}" : "";
            if (others.Count > 0) described += (described.Length > 0 ? " + " : "") + string.Join(" + ", others);
            return $"{match.Groups["name"].Value} reranker ({metadata.ProviderName}, not a cross-encoder): {described}";
        }
        return id.Length == 0 ? TerminalText.Neutralize(metadata.ProviderName) : $"{id} ({TerminalText.Neutralize(metadata.ProviderName)})";
    }

    /// <summary>What the stage-2 score means for this reranker.</summary>
    public static string RelevanceLabel(RerankerMetadata? metadata) => metadata switch
    {
        { ModelId: { } id } when Composite().IsMatch(id) => "weighted sum of per-candidate z-scores",
        { ProviderName: "together" } => "the model's relevance score (0–1)",
        _ => "the reranker's relevance score",
    };
}

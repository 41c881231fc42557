using SkRerank.Cli.Composition;

namespace SkRerank.Cli.Commands;

/// <summary>Turns a pipeline name into settings: default, stage1, or FIRST[+RERANKER].</summary>
internal static class PipelineSpec
{
    public static PipelineSettings Apply(string name, PipelineSettings settings)
    {
        var spec = name.Trim().ToLowerInvariant();
        if (spec == "default") return settings;
        if (spec == "stage1") return settings with { FirstStage = "vector", Reranker = "none" };
        var parts = spec.Split('+', 2);
        var firstStage = parts[0] switch
        {
            "dense" or "vector" => "vector",
            "hybrid" => "hybrid",
            _ => throw new CliException($"Unknown pipeline '{name}': the first stage must be dense or hybrid (e.g. hybrid+local), or use default / stage1."),
        };
        return settings with { FirstStage = firstStage, Reranker = parts.Length > 1 ? parts[1] : "none" };
    }
}

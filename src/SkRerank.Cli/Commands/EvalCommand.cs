using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkRerank.Cli.Composition;
using SkRerank.Evaluation;
using SkRerank.Movies;
using SkRerank.Search;

namespace SkRerank.Cli.Commands;

/// <summary><c>skrerank eval --qrels FILE</c>: relevance metrics and stage latency of one or more pipelines.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var qrels = new Option<string?>("--qrels") { Description = "Judged queries (JSON Lines: id, query, judgments). Default: ../shared/eval/dev.jsonl when present." };
        var pipelines = new Option<string[]>("--pipeline")
        {
            Description = "Pipeline to evaluate (repeatable): default (what search does), stage1 (dense only), or FIRST[+RERANKER] "
                + "with FIRST = dense|hybrid and RERANKER = local|together|cross-encoder|none, e.g. hybrid+local.",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with metrics and every query's ranking." };

        var command = new Command("eval", "Evaluate pipelines on judged queries: nDCG@5, nDCG@10, MRR@10, Recall@25 and per-stage latency.")
        {
            qrels, pipelines, json,
        };
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(result, cancellationToken, async (context, ct) =>
        {
            var settings = CliOptions.ReadSettings(result) with { ShowProgress = !result.GetValue(json) || !Console.IsErrorRedirected };
            var qrelsPath = result.GetValue(qrels) ?? FindDevQrels()
                ?? throw new CliException("No --qrels FILE given and ../shared/eval/dev.jsonl was not found.");
            var queries = await QrelsFile.LoadAsync(qrelsPath, ct);
            var names = result.GetValue(pipelines) is { Length: > 0 } given ? given : ["default", "stage1"];
            if (settings.Candidates is < 25 or > MovieSearchService.MaxCandidates)
                throw new CliException($"--candidates must be between 25 and {MovieSearchService.MaxCandidates} (runs list at least 25 ids).");

            // Every pipeline name is checked before the first one loads its models.
            foreach (var name in names) Validation.SettingsCheck.Validate(PipelineSpec.Apply(name, settings));
            settings = await Validation.Preflight.CheckAsync(settings, context, ct);

            var evaluations = new List<PipelineEvaluation<int>>();
            foreach (var name in names)
            {
                var pipelineSettings = PipelineSpec.Apply(name, settings);
                await using var pipeline = await SearchPipeline.BuildAsync(pipelineSettings, context.LoggerFactory, context.Error, ct);
                // The pool is what the pipeline reranks (--candidates, else its own default), ranked whole.
                var evaluated = new TwoStageSearchPipeline<int, Movie>(name, pipeline.Search.Engine, movie => movie.Id,
                    Math.Max(25, pipeline.Search.Options.Candidates));
                await evaluated.RunAsync(queries[0].Query, ct); // warm-up, so one-time JIT and model loading do not skew latency
                evaluations.Add(await EvaluationRunner.EvaluateAsync(evaluated, queries, ct));
            }

            if (result.GetValue(json)) context.Output.WriteLine(ToJson(evaluations).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else WriteTable(context.Output, evaluations, queries.Count, qrelsPath);
            return 0;
        }));
        return command;
    }

    internal static string? FindDevQrels()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "eval", "dev.jsonl");
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    internal static JsonObject ToJson(IEnumerable<PipelineEvaluation<int>> evaluations) => new()
    {
        ["pipelines"] = new JsonArray(evaluations.Select(e => (JsonNode)new JsonObject
        {
            ["name"] = e.Name,
            ["metrics"] = new JsonObject
            {
                ["ndcg@5"] = Math.Round(e.Metrics.NdcgAt5, 4),
                ["ndcg@10"] = Math.Round(e.Metrics.NdcgAt10, 4),
                ["mrr@10"] = Math.Round(e.Metrics.MrrAt10, 4),
                ["recall@25"] = Math.Round(e.Metrics.RecallAt25, 4),
            },
            ["latencyMs"] = new JsonObject(e.MeanStageMs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Math.Round(kv.Value, 3)))),
            ["runs"] = new JsonObject(e.Runs.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)new JsonArray(kv.Value.Select(id => (JsonNode)id).ToArray())))),
        }).ToArray()),
    };

    private static void WriteTable(TextWriter writer, IReadOnlyList<PipelineEvaluation<int>> evaluations, int queryCount, string qrelsPath)
    {
        writer.WriteLine($"{queryCount} judged queries from {qrelsPath}");
        writer.WriteLine();
        writer.WriteLine($"{"pipeline",-24} {"nDCG@5",7} {"nDCG@10",8} {"MRR@10",7} {"R@25",6}   {"embed ms",9} {"search ms",9} {"rerank ms",9}");
        foreach (var e in evaluations)
        {
            var m = e.Metrics;
            double Stage(string s) => e.MeanStageMs.GetValueOrDefault(s);
            writer.WriteLine($"{e.Name,-24} {m.NdcgAt5,7:0.000} {m.NdcgAt10,8:0.000} {m.MrrAt10,7:0.000} {m.RecallAt25,6:0.000}   {Stage("embed"),9:0.0} {Stage("search"),9:0.0} {Stage("rerank"),9:0.0}");
        }
    }
}

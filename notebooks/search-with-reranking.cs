#!/usr/bin/env dotnet
// The cookbook "How to Improve Search with Rerankers", step by step in C# with SkRerank, as a file-based app:
//   dotnet run notebooks/search-with-reranking.cs
// Offline on the local models by default; on Together AI when TOGETHER_API_KEY is set. The same walkthrough as
// notebooks/search-with-reranking.ipynb.
#:project ../src/SkRerank.Onnx/SkRerank.Onnx.csproj
#:package Microsoft.SemanticKernel.Connectors.OpenAI
#:package ScottPlot
#:property PublishAot=false

using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Data;
using SkRerank.DependencyInjection;
using SkRerank.Embeddings;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Search;
using SkRerank.TextSearch;
using SkRerank.VectorStore;

// 1. Pick the provider and build a kernel with the movie search. One call registers the embedding generator (with a
//    disk cache), the vector store collection, the reranker and the search_movies plugin.
var togetherKey = Environment.GetEnvironmentVariable("TOGETHER_API_KEY");
var useTogether = !string.IsNullOrWhiteSpace(togetherKey);
Console.WriteLine(useTogether
    ? "Provider: Together AI (BAAI/bge-base-en-v1.5 embeddings, Salesforce/Llama-Rank-V1 reranker)"
    : "Provider: local (snowflake-arctic-embed-xs in int8, then the offline fusion reranker). Set TOGETHER_API_KEY to use Together AI.");

var builder = Kernel.CreateBuilder();
if (useTogether) builder.AddTogetherMovieSearch();
else builder.AddLocalMovieSearch();
// The cookbook's first stage is pure vector search (the CLI's default also fuses in BM25).
builder.Services.Configure<MovieSearchOptions>(o => o.FirstStage = FirstStageMode.Vector);
if (useTogether)
{
    var baseUrl = Environment.GetEnvironmentVariable("TOGETHER_BASE_URL") ?? "https://api.together.xyz/v1";
    builder.AddOpenAIChatCompletion("meta-llama/Llama-3.3-70B-Instruct-Turbo", new Uri(baseUrl), togetherKey!);
}
var kernel = builder.Build();

// 2. Load the dataset: 1000 movies with title, overview, director, genres and tagline.
var datasetPath = await new MovieDatasetLocator().LocateAsync(explicitPath: null);
var movies = await MovieDataset.LoadAsync(datasetPath);
Console.WriteLine($"{movies.Count} movies from {datasetPath}");
Console.WriteLine($"First: {movies[0].Title} ({movies[0].Director}): {movies[0].ToEmbeddingText().ReplaceLineEndings(" | ")}");

// 3. Embed and index. Explicit and idempotent; vectors are cached on disk, so the second run takes about a second.
var report = await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(movies);
Console.WriteLine($"Indexed {report.Count} movies ({report.Embedded} embedded, {report.FromCache} from the cache), {report.Dimensions}-d vectors, in {report.Elapsed.TotalSeconds:0.0} s");

// 4. Stage 1: vector search for the 25 nearest movies. We let the reranker score all 25 (TopN = 25) so that the
//    chart below can show every candidate; its top 5 are the answer. Offline, two models search (arctic-embed-xs and
//    all-MiniLM-L6-v2) and their rankings are fused by z-score; on Together, bge-base's cosine, as in the cookbook.
const string query = "super hero mystery action movie about bats";
var search = kernel.Services.GetRequiredService<MovieSearchService>();
var scoreName = search.SecondaryEmbeddingGenerator is null ? "cosine" : "fused z";
var response = await search.SearchAsync(new MovieSearchRequest { Query = query, Candidates = 25, TopN = 25 });
Console.WriteLine($"\nQuery: {query}\n\nStage 1, vector search top 25 ({response.Timings.EmbedMs + response.Timings.SearchMs:0} ms):");
foreach (var candidate in response.Candidates)
    Console.WriteLine($"  {candidate.Rank,2}. {candidate.Movie.Title,-50} {scoreName} {candidate.VectorScore:0.000}");

// 5. Stage 2: the reranker scores the candidates again and keeps the best 5. Offline that is the local fusion reranker
//    (two embedding models over every movie field, BM25 and MaxSim over MiniLM's token vectors: not a cross-encoder);
//    on Together, Llama-Rank, a cross-encoder that reads query and movie together. This walkthrough keeps the
//    cookbook's 25 candidates; search_movies gives the offline reranker 150.
Console.WriteLine($"\nStage 2, reranked by {response.Reranker?.ModelId ?? "(none)"} ({response.Timings.RerankMs:0} ms):");
foreach (var result in response.Results.Take(5))
    Console.WriteLine($"  {result.Rank}. {result.Movie.Title,-50} relevance {result.RelevanceScore,7:0.000}   (was #{result.CandidateRank})");

// 6. Compare: what reranking changed in the top 5.
var vectorTop5 = response.Candidates.Take(5).Select(c => c.Movie.Title).ToList();
var rerankedTop5 = response.Results.Take(5).Select(r => r.Movie.Title).ToList();
Console.WriteLine($"\nPromoted into the top 5: {string.Join(", ", rerankedTop5.Except(vectorTop5).DefaultIfEmpty("none"))}");
Console.WriteLine($"Dropped from the top 5:  {string.Join(", ", vectorTop5.Except(rerankedTop5).DefaultIfEmpty("none"))}");

// 7. A picture: every candidate's reranker score against its first-stage rank. Points far to the right with high
//    scores are what reranking rescued from deep in the vector list.
var plot = new ScottPlot.Plot();
var others = response.Results.Skip(5).ToList();
var top = response.Results.Take(5).ToList();
var rest = plot.Add.Markers(others.Select(r => (double)r.CandidateRank).ToArray(), others.Select(r => r.RelevanceScore).ToArray());
rest.Color = ScottPlot.Colors.Gray;
rest.LegendText = "other candidates";
var best = plot.Add.Markers(top.Select(r => (double)r.CandidateRank).ToArray(), top.Select(r => r.RelevanceScore).ToArray());
best.Color = ScottPlot.Colors.OrangeRed;
best.MarkerSize = 10;
best.LegendText = "reranked top 5";
foreach (var result in top)
{
    var label = plot.Add.Text(result.Movie.Title, result.CandidateRank + 0.4, result.RelevanceScore);
    label.LabelFontSize = 11;
}
plot.Title($"Reranking \"{query}\"");
plot.XLabel("Stage-1 rank (vector search)");
plot.YLabel("Reranker relevance score");
plot.ShowLegend();
var chartFolder = Path.Combine(Path.GetTempPath(), "skrerank-notebooks");
Directory.CreateDirectory(chartFolder);
var chartPath = Path.Combine(chartFolder, "rerank-scores.png");
plot.SavePng(chartPath, 1000, 560);
Console.WriteLine($"\nChart: {chartPath}");

// 8. Hand search_movies to a kernel: the plugin is already in kernel.Plugins, ready for an agent.
var function = kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];
Console.WriteLine($"\nkernel.Plugins[\"movies\"]: {function.Name}({string.Join(", ", function.Metadata.Parameters.Select(p => p.Name))})");
var invoked = await kernel.InvokeAsync(function, new KernelArguments { ["query"] = query, ["top_n"] = 3 });
foreach (var hit in invoked.GetValue<IReadOnlyList<MovieSearchHit>>()!)
    Console.WriteLine($"  {hit.Title} ({hit.Director}; {string.Join(", ", hit.Genres)}) relevance {hit.RelevanceScore}, reranked: {hit.Reranked}");

if (useTogether)
{
    // With a chat model, the kernel calls search_movies by itself.
    var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    Console.WriteLine(await kernel.InvokePromptAsync("Recommend a superhero mystery about bats from the movie catalogue.", new(settings)));
}
else
{
    Console.WriteLine("\n(Set TOGETHER_API_KEY to let Llama 3.3 call search_movies through FunctionChoiceBehavior.Auto().)");
}

// 9. Your own data: the same reranking for any Semantic Kernel text search. A small help-centre FAQ (only the questions
//    are embedded) in an in-memory collection, searched through SK's VectorStoreTextSearch, before and after the one
//    added line, .WithReranking(reranker). The reranker reads question and answer.
#pragma warning disable SKEXP0001 // SK's text search over vector stores is experimental
var embedder = kernel.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(MovieSearchBuilder.ServiceKey);
FaqEntry[] faqs =
[
    new() { Id = "billing-refund", Question = "Can I cancel my plan?", Answer = "Yes. Cancel under Settings > Plan; within 30 days of paying we refund the full amount to your card." },
    new() { Id = "billing-payment", Question = "Which payment methods do you accept?", Answer = "Credit cards, PayPal and bank transfer for yearly plans." },
    new() { Id = "billing-invoice", Question = "Where do I find my invoices?", Answer = "Settings > Billing > History lists every invoice as a PDF." },
    new() { Id = "account-password", Question = "I can't sign in", Answer = "Use 'Forgot password' on the sign-in page: we email a link to set a new password." },
    new() { Id = "account-delete", Question = "How do I close my account?", Answer = "Settings > Account > Delete account removes your account and files after 14 days." },
    new() { Id = "sharing-link", Question = "How do I share a file?", Answer = "Right-click it and choose Share > Copy link: anyone with the link can view it, no account needed." },
    new() { Id = "storage-recover", Question = "Can I restore a file I deleted?", Answer = "Deleted files stay in the Trash for 30 days; open Trash on the web and choose Restore." },
    new() { Id = "sync-paused", Question = "My files stopped syncing", Answer = "Check that the desktop app is running, that you are online and that your storage is not full." },
];
var questionVectors = await embedder.GenerateAsync(faqs.Select(f => f.Question));
for (var i = 0; i < faqs.Length; i++) faqs[i].Embedding = questionVectors[i].Vector;
var faqCollection = new InMemoryVectorStoreCollection<string, FaqEntry>("faq", new InMemoryCollectionOptions
{
    EmbeddingGenerator = new QueryEmbeddingGenerator(embedder), // the text search's queries are embedded as queries
    Definition = new VectorStoreCollectionDefinition
    {
        Properties =
        [
            new VectorStoreKeyProperty(nameof(FaqEntry.Id), typeof(string)),
            new VectorStoreDataProperty(nameof(FaqEntry.Question), typeof(string)),
            new VectorStoreDataProperty(nameof(FaqEntry.Answer), typeof(string)),
            new VectorStoreVectorProperty(nameof(FaqEntry.Embedding), typeof(ReadOnlyMemory<float>?), questionVectors[0].Vector.Length),
        ],
    },
});
await faqCollection.EnsureCollectionExistsAsync();
await faqCollection.UpsertAsync(faqs);

ITextSearch<FaqEntry> faqSearch = new VectorStoreTextSearch<FaqEntry>(faqCollection);
var rerankedFaqSearch = faqSearch.WithReranking(search.Reranker!, f => f.Question + "\n" + f.Answer);
const string faqQuery = "how do I get my money back";
var before = await faqSearch.GetTextSearchResultsAsync(faqQuery, new TextSearchOptions<FaqEntry> { Top = 3 });
var after = await rerankedFaqSearch.GetTextSearchResultsAsync(faqQuery, new TextSearchOptions<FaqEntry> { Top = 3 });
Console.WriteLine($"\nFAQ query: {faqQuery}\n\nVectorStoreTextSearch (question embeddings):");
var rank = 0;
await foreach (var result in before.Results) Console.WriteLine($"  {++rank}. {result.Name}");
Console.WriteLine($"\n.WithReranking({search.Reranker!.Metadata.ModelId}):");
var scores = (double[])after.Metadata![RerankedTextSearchMetadata.RelevanceScores]!;
var wasRank = (int[])after.Metadata[RerankedTextSearchMetadata.CandidateRanks]!;
rank = 0;
await foreach (var result in after.Results) Console.WriteLine($"  {rank + 1}. {result.Name,-40} relevance {scores[rank]:0.000}  (was #{wasRank[rank++]})");
#pragma warning restore SKEXP0001

/// <summary>A help-centre FAQ entry; SK's text search maps Question to a result's name and Answer to its value.</summary>
public sealed class FaqEntry
{
    public string Id { get; set; } = "";
    [TextSearchResultName] public string Question { get; set; } = "";
    [TextSearchResultValue] public string Answer { get; set; } = "";
    public ReadOnlyMemory<float>? Embedding { get; set; }
}

using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SkRerank.Tests.Notebooks;

/// <summary>
/// Keeps the notebook, the file-based app and the CI script in step without running them (.ci/notebooks.sh runs them):
/// valid notebook, same walkthrough steps, package versions as pinned centrally, dotnet-repl in the tool manifest.
/// </summary>
public sealed class NotebookFilesTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly JsonObject Notebook = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "notebooks", "search-with-reranking.ipynb")))!;
    private static readonly string App = File.ReadAllText(Path.Combine(Root, "notebooks", "search-with-reranking.cs"));

    private static IEnumerable<(string Type, string Source)> Cells() => Notebook["cells"]!.AsArray()
        .Select(c => (c!["cell_type"]!.GetValue<string>(), string.Concat(c["source"]!.AsArray().Select(s => s!.GetValue<string>()))));

    [Fact]
    public void Notebook_is_a_csharp_polyglot_notebook_committed_with_the_outputs_of_a_run()
    {
        Assert.Equal(4, Notebook["nbformat"]!.GetValue<int>());
        Assert.Equal(".net-csharp", Notebook["metadata"]!["kernelspec"]!["name"]!.GetValue<string>());
        var code = Notebook["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code").ToList();
        Assert.True(code.Count >= 9);
        Assert.All(code, c =>
        {
            Assert.Equal("csharp", c!["metadata"]!["dotnet_interactive"]!["language"]!.GetValue<string>());
            // A reader on GitHub sees what a run printed (.ci/notebooks.sh re-executes it); no cell failed in that run.
            var outputs = c["outputs"]!.AsArray();
            Assert.NotEmpty(outputs);
            Assert.DoesNotContain(outputs, o => o!["output_type"]!.GetValue<string>() == "error");
        });
    }

    [Fact]
    public void Notebook_builds_the_library_from_the_repository_without_a_manual_pack_step()
    {
        var first = Cells().First(c => c.Type == "code").Source;
        Assert.Contains("dotnet", first);
        Assert.Contains("pack {project}", first);
        Assert.Contains("\"src/SkRerank.Onnx/SkRerank.Onnx.csproj\"", first);
    }

    [Fact]
    public void The_last_step_reranks_a_non_movie_faq_and_its_saved_output_shows_before_and_after()
    {
        var cells = Notebook["cells"]!.AsArray();
        var last = cells[^1]!;
        var source = string.Concat(last["source"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains(".WithReranking(", source);
        Assert.Contains("new VectorStoreTextSearch<FaqEntry>", source);
        var printed = string.Concat(last["outputs"]!.AsArray().SelectMany(o => o!["text"]?.AsArray().Select(t => t!.GetValue<string>()) ?? []));
        Assert.Contains("VectorStoreTextSearch (question embeddings):", printed);
        Assert.Contains(".WithReranking(", printed);
        Assert.Contains("1. Can I cancel my plan?", printed);
    }

    [Fact]
    public void Notebook_and_file_based_app_walk_the_same_steps_with_the_same_query()
    {
        var notebookSteps = Cells().Where(c => c.Type == "markdown")
            .Select(c => Regex.Match(c.Source, @"^## (\d+)\.", RegexOptions.Multiline)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var appSteps = Regex.Matches(App, @"^// (\d+)\. ", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 9), notebookSteps);
        Assert.Equal(notebookSteps, appSteps);

        const string query = "const string query = \"super hero mystery action movie about bats\";";
        Assert.Contains(query, App);
        Assert.Contains(Cells(), c => c.Source.Contains(query, StringComparison.Ordinal));
        // Both switch to Together only when a key is set.
        Assert.Contains("TOGETHER_API_KEY", App);
        Assert.Contains(Cells(), c => c.Source.Contains("TOGETHER_API_KEY", StringComparison.Ordinal));
    }

    [Fact]
    public void Package_versions_match_the_central_pins()
    {
        var pins = XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value);
        var references = Cells().SelectMany(c => Regex.Matches(c.Source, @"#r ""nuget: (?<id>[\w.]+), (?<version>[^""]+)""").Cast<Match>())
            .ToDictionary(m => m.Groups["id"].Value, m => m.Groups["version"].Value);
        Assert.Equal(pins["ScottPlot"], references["ScottPlot"]);
        Assert.Equal(pins["Microsoft.SemanticKernel.Connectors.OpenAI"], references["Microsoft.SemanticKernel.Connectors.OpenAI"]);
        // The app takes the same packages, versionless, from the central pins.
        Assert.Contains("#:package ScottPlot\n", App.ReplaceLineEndings("\n"));
        Assert.Contains("#:project ../src/SkRerank.Onnx/SkRerank.Onnx.csproj", App);
    }

    [Fact]
    public void Ci_script_runs_both_with_dotnet_repl_from_the_local_tool_manifest()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, ".config", "dotnet-tools.json")))!;
        Assert.Equal("0.3.259", manifest["tools"]!["dotnet-repl"]!["version"]!.GetValue<string>());
        var script = File.ReadAllText(Path.Combine(Root, ".ci", "notebooks.sh"));
        Assert.Contains("dotnet run notebooks/search-with-reranking.cs", script);
        Assert.Contains("dotnet repl --run search-with-reranking.ipynb --exit-after-run", script);
    }

    private static string RepositoryRoot([CallerFilePath] string file = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(file)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SkRerank.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("SkRerank.sln not found above " + file);
    }
}

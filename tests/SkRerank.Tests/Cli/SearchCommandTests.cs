using System.Text.Json;
using SkRerank.Tests.Support;
using SkRerank.Tests.Together;

namespace SkRerank.Tests.Cli;

/// <summary>The <c>skrerank search</c> contract, run as a real process.</summary>
public class SearchCommandTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Json_output_follows_the_contract_and_the_second_run_uses_the_cache()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 60);
        string[] args = ["search", "super hero mystery action movie about bats", "--json", "--dataset", dataset, "--cache-dir", temp.File("cache"), "--top", "3"];

        var first = await CliProcess.RunAsync(args);
        Assert.True(first.ExitCode == 0, first.Error);
        using var json = JsonDocument.Parse(first.Output);
        var root = json.RootElement;
        Assert.Equal("super hero mystery action movie about bats", root.GetProperty("query").GetString());
        // The local reranker reads up to 150 candidates: here every one of the 60 movies.
        Assert.Equal(60, root.GetProperty("candidates").GetArrayLength());
        var candidate = root.GetProperty("candidates")[0];
        Assert.True(candidate.TryGetProperty("id", out _) && candidate.TryGetProperty("title", out _) && candidate.TryGetProperty("score", out _));
        var results = root.GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal([1, 2, 3], results.EnumerateArray().Select(r => r.GetProperty("rank").GetInt32()));
        foreach (var field in new[] { "id", "title", "relevanceScore", "vectorScore", "rank" }) Assert.True(results[0].TryGetProperty(field, out _), field);
        Assert.True(root.GetProperty("reranked").GetBoolean());
        foreach (var field in new[] { "embedMs", "searchMs", "rerankMs" }) Assert.True(root.GetProperty("timings").GetProperty(field).GetDouble() >= 0);
        // The first 60 movies hold two Batman films (The Dark Knight, Batman v Superman); the reranked top 3 holds one.
        Assert.Contains(results.EnumerateArray(), r => r.GetProperty("title").GetString() is { } t && (t.Contains("Dark Knight") || t.Contains("Batman")));

        var second = await CliProcess.RunAsync(args.Where(a => a != "--json").ToArray());
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("0 embedded, 60 from cache", second.Error);
        Assert.Contains("Stage 1", second.Output);
        Assert.Contains("Timings: embed", second.Output);
    }

    [Fact]
    public async Task Together_provider_works_against_a_server_that_first_answers_429()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        server.Enqueue(FakeFault.RateLimited(retryAfter: "1"));
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 40);

        var result = await CliProcess.RunAsync(
            ["search", "--provider", "together", "bats superhero", "--json", "--dataset", dataset, "--cache-dir", temp.File("cache")],
            new Dictionary<string, string?> { ["TOGETHER_BASE_URL"] = server.BaseUrl, ["TOGETHER_API_KEY"] = FakeTogetherServer.DefaultApiKey });

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("reranked").GetBoolean());
        Assert.Equal(5, json.RootElement.GetProperty("results").GetArrayLength());
        Assert.Contains(server.Requests, r => r.Endpoint == "rerank");
        Assert.True(server.Requests.Count(r => r.Endpoint == "embeddings") >= 2, "the 429 was retried");
    }

    [Fact]
    public async Task A_slow_rerank_fails_open_after_the_timeout_with_one_line_and_no_retry_noise()
    {
        await using var server = await FakeTogetherServer.StartAsync();
        server.Enqueue(new FakeFault(FakeFaultKind.Slow) { Endpoint = "rerank", Delay = TimeSpan.FromSeconds(70) }, times: 4);
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 40);

        var result = await CliProcess.RunAsync(
            ["search", "--provider", "together", "bats superhero", "--json", "--timeout", "2", "--dataset", dataset, "--cache-dir", temp.File("cache")],
            new Dictionary<string, string?> { ["TOGETHER_BASE_URL"] = server.BaseUrl, ["TOGETHER_API_KEY"] = FakeTogetherServer.DefaultApiKey });

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(json.RootElement.GetProperty("reranked").GetBoolean());
        Assert.Equal(5, json.RootElement.GetProperty("results").GetArrayLength());
        Assert.Contains("--timeout", json.RootElement.GetProperty("rerankError").GetString());
        output.WriteLine($"fail-open after {json.RootElement.GetProperty("timings").GetProperty("rerankMs").GetDouble():0} ms of rerank; stderr: {result.Error}");
        Assert.DoesNotContain("Polly", result.Error);
        Assert.DoesNotContain("   at ", result.Error); // no stack traces
        Assert.DoesNotContain("retrying", result.Error);
    }

    [Fact]
    public async Task A_plain_key_searches_with_serverless_embeddings_and_says_rerank_needs_a_dedicated_endpoint()
    {
        await using var server = await FakeTogetherServer.StartAsync(serverlessOnly: true);
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 40);

        var result = await CliProcess.RunAsync(
            ["search", "--provider", "together", "bats superhero", "--dataset", dataset, "--cache-dir", temp.File("cache")],
            new Dictionary<string, string?> { ["TOGETHER_BASE_URL"] = server.BaseUrl, ["TOGETHER_API_KEY"] = FakeTogetherServer.DefaultApiKey });

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Reranker failed, showing first-stage order:", result.Output);
        // The table wraps the reason to the terminal's width: read it back as one line.
        var lines = result.Output.Split('\n');
        var why = string.Join(" ", lines.SkipWhile(l => !l.StartsWith("Reranker failed", StringComparison.Ordinal))
            .TakeWhile(l => !l.StartsWith("Timings:", StringComparison.Ordinal)).Select(l => l.Trim()));
        Assert.Contains("'Salesforce/Llama-Rank-V1'", why);
        Assert.Contains("dedicated endpoint", why);
        Assert.Contains("--rerank-model", why);
        Assert.All(server.Requests.Where(r => r.Endpoint == "embeddings"), r => Assert.Equal("intfloat/multilingual-e5-large-instruct", r.Model));
    }

    [Fact]
    public async Task A_together_stage_without_a_key_is_a_one_line_error()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 5);
        var result = await CliProcess.RunAsync(["search", "--reranker", "together", "bats", "--dataset", dataset, "--cache-dir", temp.File("cache")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("TOGETHER_API_KEY", result.Error);
        AssertOneLineError(result);
    }

    [Fact]
    public async Task A_missing_dataset_file_is_a_one_line_error()
    {
        using var temp = new TempDirectory();
        var result = await CliProcess.RunAsync(["search", "bats", "--dataset", temp.File("nope.json")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nope.json", result.Error);
        AssertOneLineError(result);
    }

    [Fact]
    public async Task A_malformed_dataset_names_the_record_and_an_empty_query_is_refused()
    {
        using var temp = new TempDirectory();
        var bad = temp.File("bad.json", """[{"title":"A","overview":"o"},{"title":"B"}]""");
        var result = await CliProcess.RunAsync(["search", "bats", "--dataset", bad, "--cache-dir", temp.File("cache")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("movie #1 (\"B\") has no \"overview\"", result.Error);
        AssertOneLineError(result);

        var dataset = CliProcess.WriteMovieSubset(temp, 5);
        var empty = await CliProcess.RunAsync(["search", "   ", "--dataset", dataset, "--cache-dir", temp.File("cache")]);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("query is empty", empty.Error);
        AssertOneLineError(empty);
    }

    [Fact]
    public async Task The_table_fits_80_columns_labels_its_scores_and_neutralises_escape_sequences_while_json_stays_exact()
    {
        using var temp = new TempDirectory();
        var dataset = MovieSubset.WriteFile(temp.Path);
        const string query = "bat hero \u001b[2J\u001b[31mmystery\u0007";
        var table = await CliProcess.RunAsync(["search", query, "--dataset", dataset, "--cache-dir", MovieSubset.CacheDirectory],
            environment: new Dictionary<string, string?> { ["COLUMNS"] = "80" });

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.All(table.Output.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"{line.Length} columns: {line}"));
        Assert.DoesNotContain('\u001b', table.Output + table.Error);
        Assert.DoesNotContain('\u0007', table.Output + table.Error);
        Assert.Contains("Query: bat hero ␛[2J␛[31mmystery␇", table.Output);
        var unwrapped = System.Text.RegularExpressions.Regex.Replace(table.Output, @"\s+", " ");
        Assert.Contains("score = dense + BM25 fused z-score", unwrapped);
        Assert.Contains("not a cross-encoder", unwrapped);
        Assert.Contains("score = weighted sum of per-candidate z-scores", unwrapped);
        Assert.Contains("Ready in", table.Error);
        // The local reranker reads every candidate, but a screen lists the cookbook's 25 and says how many more there are.
        Assert.Equal(25, table.Output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\. .*\d\.\d{3}\s*$") || System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\. .*\d\.\d{3}   ")));
        Assert.Matches(@"… and \d+ more candidates \(--json lists them all\)", table.Output);

        var json = await CliProcess.RunAsync(["search", query, "--json", "--dataset", dataset, "--cache-dir", MovieSubset.CacheDirectory]);
        Assert.Equal(query, System.Text.Json.JsonDocument.Parse(json.Output).RootElement.GetProperty("query").GetString());
    }

    private static void AssertOneLineError(CliRun result)
    {
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal("", result.Output.Trim());
    }
}

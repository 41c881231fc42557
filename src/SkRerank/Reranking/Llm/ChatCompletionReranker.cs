using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.SemanticKernel.ChatCompletion;

namespace SkRerank.Reranking;

/// <summary>
/// Reranks with a chat model: any Microsoft.Extensions.AI <see cref="IChatClient"/>, or a Semantic Kernel
/// <see cref="IChatCompletionService"/> (adapted with SK's own <c>AsChatClient</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Pointwise</b> (<see cref="ChatRerankMode.Pointwise"/>): documents go to the model in batches of
/// <see cref="ChatCompletionRerankerOptions.MaxDocumentsPerPrompt"/>, numbered from 1, and it answers
/// <c>{"grades":[{"index":1,"grade":2},…]}</c>. A document's score is its grade divided by
/// <see cref="ChatCompletionRerankerOptions.MaxGrade"/> (0 to 1); a document the model did not grade validly scores
/// <see cref="UngradedScore"/>, so it sorts below every graded one, and ties (including among ungraded documents) keep
/// the candidates' original order.
/// </para>
/// <para>
/// <b>Listwise</b> (<see cref="ChatRerankMode.Listwise"/>): the model answers <c>{"ranking":[3,1,2]}</c> (or
/// <c>[3] &gt; [1] &gt; [2]</c>). Lists longer than one window are ranked RankGPT-style with a window that slides
/// from the back to the front by half its size, so strong documents bubble up. Documents the model leaves out of a
/// window's ranking stay below the ones it ranked, in their previous order. The score at rank position p of n is 1 − p/n.
/// </para>
/// <para>
/// <b>Malformed replies</b>: the parser skips code fences, prose and <c>&lt;think&gt;</c> blocks, salvages cut-off
/// JSON, ignores unknown document numbers, keeps the first of repeated numbers and drops grades that are off the
/// scale or not numbers. A reply with nothing usable is retried once with a corrective message
/// (<see cref="ChatCompletionRerankerOptions.RetryUnparseableOutput"/>); a prompt that still yields nothing leaves its
/// documents unjudged. Only when no prompt of a call yields anything does the call throw
/// <see cref="ChatRerankException"/>, naming the problem and quoting the reply, so a fail-open caller can fall back to
/// the first-stage order. Errors of the chat client itself (network, authentication) and cancellation propagate unchanged.
/// </para>
/// </remarks>
public sealed partial class ChatCompletionReranker : IReranker
{
    /// <summary>The pointwise score of a document the model did not grade: below every grade (grades score 0 to 1).</summary>
    public const double UngradedScore = -1.0;

    /// <summary>The provider name in <see cref="Metadata"/>.</summary>
    public const string ProviderName = "chat";

    private readonly IChatClient _chatClient;
    private readonly ChatCompletionRerankerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the reranker over a Microsoft.Extensions.AI chat client.</summary>
    /// <param name="chatClient">The model to ask. The reranker does not dispose it.</param>
    /// <param name="options">Settings; copied and checked here. <see langword="null"/> uses the defaults (pointwise, 0–3 grades).</param>
    /// <param name="logger">Receives warnings about replies that were partly unusable or retried.</param>
    /// <exception cref="ArgumentOutOfRangeException">A numeric setting is out of range.</exception>
    /// <exception cref="ArgumentException">The prompt template lacks a required placeholder.</exception>
    public ChatCompletionReranker(IChatClient chatClient, ChatCompletionRerankerOptions? options = null, ILogger<ChatCompletionReranker>? logger = null)
    {
        _chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        _options = (options ?? new ChatCompletionRerankerOptions()).Snapshot();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var modelId = _options.ModelId ?? chatClient.GetService<ChatClientMetadata>()?.DefaultModelId;
        Metadata = new RerankerMetadata(ProviderName, modelId);
    }

    /// <summary>Creates the reranker over a Semantic Kernel chat completion service.</summary>
    /// <param name="chatCompletionService">The model to ask; its <c>ModelId</c> attribute names the model in <see cref="Metadata"/>.</param>
    /// <param name="options">Settings; see the other constructor.</param>
    /// <param name="logger">Receives warnings about replies that were partly unusable or retried.</param>
    public ChatCompletionReranker(IChatCompletionService chatCompletionService, ChatCompletionRerankerOptions? options = null, ILogger<ChatCompletionReranker>? logger = null)
        : this((chatCompletionService ?? throw new ArgumentNullException(nameof(chatCompletionService))).AsChatClient(), options, logger)
    {
    }

    /// <inheritdoc />
    public RerankerMetadata Metadata { get; }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => this.GetOwnService(serviceType, serviceKey);

    /// <summary>Nothing to release: the chat client belongs to the container.</summary>
    public void Dispose()
    {
    }

    /// <summary>The mode in use.</summary>
    public ChatRerankMode Mode => _options.Mode;

    /// <inheritdoc />
    /// <exception cref="ChatRerankException">No reply of this call could be used.</exception>
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, RerankOptions? options = null, CancellationToken cancellationToken = default)
    {
        RerankArguments.Validate(query, documents, options);
        if (documents.Count == 0) return [];

        var scores = _options.Mode == ChatRerankMode.Listwise
            ? await RankListwiseAsync(query, documents, options?.ModelId, cancellationToken).ConfigureAwait(false)
            : await GradePointwiseAsync(query, documents, options?.ModelId, cancellationToken).ConfigureAwait(false);
        return RerankArguments.TopResults(scores, options?.TopN);
    }

    private async Task<double[]> GradePointwiseAsync(string query, IReadOnlyList<string> documents, string? modelId, CancellationToken cancellationToken)
    {
        var scores = Enumerable.Repeat(UngradedScore, documents.Count).ToArray();
        var batches = Enumerable.Range(0, documents.Count).Chunk(_options.MaxDocumentsPerPrompt).ToList();
        var failures = new Failure?[batches.Count];

        await Parallel.ForEachAsync(
            Enumerable.Range(0, batches.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrency, CancellationToken = cancellationToken },
            async (b, token) =>
            {
                var batch = batches[b];
                var prompt = BuildPrompt(query, batch.Select(i => documents[i]));
                var (reply, output) = await AskAsync(
                    prompt, modelId, text => ChatRerankReplyParser.ParsePointwise(text, batch.Length, _options.MaxGrade), r => r.Problem, token)
                    .ConfigureAwait(false);
                if (reply.Problem is not null)
                {
                    failures[b] = new Failure(reply.Problem, output);
                    LogNoUsableGrades(_logger, batch[0], batch[^1], reply.Problem);
                    return;
                }
                if (reply.Graded < batch.Length || reply.Rejected > 0)
                    LogPartlyGraded(_logger, reply.Graded, batch.Length, reply.Rejected);
                // Each batch writes only its own slots, so the parallel writes do not overlap.
                for (var j = 0; j < batch.Length; j++)
                {
                    if (reply.Grades[j] is { } grade) scores[batch[j]] = grade / _options.MaxGrade;
                }
            }).ConfigureAwait(false);

        ThrowIfAllFailed(failures, "pointwise");
        return scores;
    }

    private async Task<double[]> RankListwiseAsync(string query, IReadOnlyList<string> documents, string? modelId, CancellationToken cancellationToken)
    {
        var n = documents.Count;
        var order = Enumerable.Range(0, n).ToArray();
        var window = _options.MaxDocumentsPerPrompt;
        var step = Math.Max(1, window / 2);
        var failures = new List<Failure?>();

        // Back to front, so a relevant document near the end can climb a half window per step all the way to the top.
        for (var end = n; n > 1; end -= step)
        {
            var start = Math.Max(0, end - window);
            var slice = order[start..end];
            var prompt = BuildPrompt(query, slice.Select(i => documents[i]));
            var (reply, output) = await AskAsync(prompt, modelId, text => ChatRerankReplyParser.ParseListwise(text, slice.Length), r => r.Problem, cancellationToken)
                .ConfigureAwait(false);
            if (reply.Problem is not null)
            {
                failures.Add(new Failure(reply.Problem, output));
                LogNoUsableRanking(_logger, start, end - 1, reply.Problem);
            }
            else
            {
                failures.Add(null);
                if (reply.Ranking.Length < slice.Length || reply.Rejected > 0)
                    LogPartlyRanked(_logger, reply.Ranking.Length, slice.Length, reply.Rejected);
                var ranked = reply.Ranking.Select(p => slice[p]);
                var left = slice.Where((_, p) => !reply.Ranking.Contains(p));
                ranked.Concat(left).ToArray().CopyTo(order, start);
            }
            if (start == 0) break;
        }

        ThrowIfAllFailed(failures, "listwise");
        var scores = new double[n];
        for (var p = 0; p < n; p++) scores[order[p]] = 1.0 - (double)p / n;
        return scores;
    }

    private string BuildPrompt(string query, IEnumerable<string?> documents)
    {
        var template = _options.PromptTemplate ?? (_options.Mode == ChatRerankMode.Listwise
            ? ChatCompletionRerankerOptions.DefaultListwiseTemplate
            : ChatCompletionRerankerOptions.DefaultPointwiseTemplate);
        return ChatRerankPrompt.Build(template, query, documents, _options.MaxGrade, _options.MaxDocumentCharacters);
    }

    /// <summary>Sends one prompt and parses the reply; when nothing in it is usable, asks once more saying what was wrong.</summary>
    private async Task<(T Reply, string? Output)> AskAsync<T>(
        string prompt, string? modelId, Func<string?, T> parse, Func<T, string?> problemOf, CancellationToken cancellationToken)
    {
        var messages = new List<ChatMessage>();
        var system = _options.SystemPrompt ?? ChatCompletionRerankerOptions.DefaultSystemPrompt;
        if (system.Length > 0) messages.Add(new ChatMessage(ChatRole.System, system));
        messages.Add(new ChatMessage(ChatRole.User, prompt));

        var output = await CompleteAsync(messages, modelId, cancellationToken).ConfigureAwait(false);
        var reply = parse(output);
        if (problemOf(reply) is not { } problem || !_options.RetryUnparseableOutput) return (reply, output);

        LogAskingAgain(_logger, problem, ChatRerankException.Snippet(output));
        messages.Add(new ChatMessage(ChatRole.Assistant, output ?? ""));
        messages.Add(new ChatMessage(ChatRole.User,
            $"Your reply could not be used: {problem}. Reply again with only the JSON object in the format asked for, "
            + "using the document numbers shown in brackets, and no other text."));
        var retryOutput = await CompleteAsync(messages, modelId, cancellationToken).ConfigureAwait(false);
        return (parse(retryOutput), retryOutput);
    }

    private async Task<string?> CompleteAsync(List<ChatMessage> messages, string? modelId, CancellationToken cancellationToken)
    {
        // A fresh ChatOptions per request: clients and middleware may modify the instance they are given.
        var chatOptions = new ChatOptions
        {
            ModelId = modelId ?? _options.ModelId,
            Temperature = _options.Temperature,
            MaxOutputTokens = _options.MaxOutputTokens,
            ResponseFormat = _options.UseJsonResponseFormat ? ChatResponseFormat.Json : null,
        };
        _options.ConfigureChatOptions?.Invoke(chatOptions);
        var response = await _chatClient.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);
        return response.Text;
    }

    private static void ThrowIfAllFailed(IReadOnlyList<Failure?> failures, string mode)
    {
        if (failures.Count == 0 || failures.Any(f => f is null)) return;
        var first = failures[0]!;
        var prompts = failures.Count == 1 ? "the reply" : $"all {failures.Count} replies";
        throw new ChatRerankException(
            $"The chat reranker could not use {prompts} to its {mode} prompt{(failures.Count == 1 ? "" : "s")}: {first.Problem}. "
            + $"Reply (truncated): {ChatRerankException.Snippet(first.Output)}",
            first.Output);
    }

    private sealed record Failure(string Problem, string? Output);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat reranker: no usable grades for documents {First}-{Last} ({Problem}); they rank below the graded ones.")]
    private static partial void LogNoUsableGrades(ILogger logger, int first, int last, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat reranker: {Graded} of {Count} documents graded, {Rejected} reply entries ignored.")]
    private static partial void LogPartlyGraded(ILogger logger, int graded, int count, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat reranker: no usable ranking for window {Start}-{End} ({Problem}); it keeps its order.")]
    private static partial void LogNoUsableRanking(ILogger logger, int start, int end, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat reranker: {Ranked} of {Count} documents ranked, {Rejected} reply entries ignored.")]
    private static partial void LogPartlyRanked(ILogger logger, int ranked, int count, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat reranker: unusable reply ({Problem}), asking again. Reply: {Snippet}")]
    private static partial void LogAskingAgain(ILogger logger, string problem, string snippet);
}

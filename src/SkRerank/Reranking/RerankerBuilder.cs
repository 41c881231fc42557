namespace SkRerank.Reranking;

/// <summary>
/// Composes decorators around a reranker, like M.E.AI's <c>EmbeddingGeneratorBuilder</c>: the first
/// <see cref="Use(Func{IReranker, IReranker})"/> is the outermost, so calls pass through decorators in the order they were added.
/// </summary>
public sealed class RerankerBuilder
{
    private readonly Func<IServiceProvider, IReranker> _innerFactory;
    private readonly List<Func<IReranker, IServiceProvider, IReranker>> _decorators = [];

    /// <summary>Starts a pipeline around <paramref name="innerReranker"/>.</summary>
    /// <param name="innerReranker">The innermost reranker.</param>
    public RerankerBuilder(IReranker innerReranker)
    {
        ArgumentNullException.ThrowIfNull(innerReranker);
        _innerFactory = _ => innerReranker;
    }

    /// <summary>Starts a pipeline around the reranker <paramref name="innerFactory"/> creates when the pipeline is built.</summary>
    /// <param name="innerFactory">Creates the innermost reranker from the services passed to <see cref="Build"/>.</param>
    public RerankerBuilder(Func<IServiceProvider, IReranker> innerFactory)
    {
        _innerFactory = innerFactory ?? throw new ArgumentNullException(nameof(innerFactory));
    }

    /// <summary>Adds a decorator.</summary>
    /// <param name="decorator">Wraps the reranker built so far (everything added after this one).</param>
    /// <returns>This builder.</returns>
    public RerankerBuilder Use(Func<IReranker, IReranker> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        return Use((inner, _) => decorator(inner));
    }

    /// <summary>Adds a decorator that needs services.</summary>
    /// <param name="decorator">Wraps the reranker built so far, given the services passed to <see cref="Build"/>.</param>
    /// <returns>This builder.</returns>
    public RerankerBuilder Use(Func<IReranker, IServiceProvider, IReranker> decorator)
    {
        ArgumentNullException.ThrowIfNull(decorator);
        _decorators.Add(decorator);
        return this;
    }

    /// <summary>Builds the pipeline: the innermost reranker wrapped by every decorator, the first one added outermost.</summary>
    /// <param name="services">Services for the factories; an empty provider when <see langword="null"/>.</param>
    /// <returns>The outermost reranker.</returns>
    public IReranker Build(IServiceProvider? services = null)
    {
        services ??= EmptyServiceProvider.Instance;
        var reranker = _innerFactory(services) ?? throw new InvalidOperationException("The reranker factory returned null.");
        for (var i = _decorators.Count - 1; i >= 0; i--)
        {
            reranker = _decorators[i](reranker, services)
                ?? throw new InvalidOperationException($"Reranker decorator {i} returned null.");
        }
        return reranker;
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SkRerank.Reranking;

/// <summary>The built-in decorators as <see cref="RerankerBuilder"/> steps.</summary>
public static class RerankerBuilderExtensions
{
    /// <summary>Adds a <see cref="LoggingReranker"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="loggerFactory">Creates the logger; taken from the services passed to <see cref="RerankerBuilder.Build"/> when <see langword="null"/> (no logging when there is none).</param>
    /// <returns>The builder.</returns>
    public static RerankerBuilder UseLogging(this RerankerBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            loggerFactory ??= services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            return loggerFactory == NullLoggerFactory.Instance
                ? inner
                : new LoggingReranker(inner, loggerFactory.CreateLogger(typeof(LoggingReranker)));
        });
    }

    /// <summary>Adds an <see cref="OpenTelemetryReranker"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="sourceName">ActivitySource and Meter name; "SkRerank" when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static RerankerBuilder UseOpenTelemetry(this RerankerBuilder builder, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new OpenTelemetryReranker(inner, sourceName));
    }
}

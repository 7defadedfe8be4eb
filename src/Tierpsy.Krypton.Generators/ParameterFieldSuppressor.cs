using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Tierpsy.Krypton.Generators;

/// <summary>
/// Suppresses "field is never assigned" (CS0649) and "field is never used" (CS0169) for <c>[Parameter]</c> fields:
/// the target engine assigns them by reflection, so the warnings are false and build scripts need no NoWarn.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ParameterFieldSuppressor : DiagnosticSuppressor
{
    private static readonly SuppressionDescriptor NeverAssigned = new(
        "KRYS0649",
        "CS0649",
        "A [Parameter] field is assigned by the target engine from the command line, the environment or "
            + ".krypton/parameters.json."
    );
    private static readonly SuppressionDescriptor NeverUsed = new(
        "KRYS0169",
        "CS0169",
        "A [Parameter] field is assigned by the target engine and shown by --help, even if the build does not read it."
    );

    /// <inheritdoc />
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } =
        ImmutableArray.Create(NeverAssigned, NeverUsed);

    /// <inheritdoc />
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null)
                continue;
            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var field =
                context.GetSemanticModel(tree).GetDeclaredSymbol(node, context.CancellationToken) as IFieldSymbol;
            if (
                field
                    ?.GetAttributes()
                    .Any(a => a.AttributeClass?.ToDisplayString() == "Tierpsy.Krypton.Targets.ParameterAttribute")
                != true
            )
                continue;
            context.ReportSuppression(
                Suppression.Create(diagnostic.Id == "CS0649" ? NeverAssigned : NeverUsed, diagnostic)
            );
        }
    }
}

namespace Tierpsy.Krypton.Targets;

/// <summary>
/// A build target: a function that configures a <see cref="ITargetDefinition"/>. Declare targets as
/// expression-bodied properties of a build class (or as default interface members of a build component):
/// <code>Target Submit => _ => _.DependsOn(ListFiles).Executes(async ct => await SubmitAsync(ct));</code>
/// </summary>
/// <param name="_">The definition to configure.</param>
/// <returns>The configured definition.</returns>
public delegate ITargetDefinition Target(ITargetDefinition _);

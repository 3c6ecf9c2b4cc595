output "alb_dns_name" {
  value = aws_lb.this.dns_name
}

output "alb_zone_id" {
  value = aws_lb.this.zone_id
}

output "service_name" {
  value = aws_ecs_service.promptsentinel.name
}

// Load balancer capacity reservations (LCU reservations): read-only. Gantry's load balancers have
// no provisioned capacity to reserve, so every load balancer reports no reservation.

#include "services/elbv2/elbv2_json.h"
#include "services/elbv2/elbv2_service.h"
#include "services/elbv2/errors.h"

namespace services::elbv2 {

namespace json = boost::json;

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeCapacityReservation.html
// A load balancer without a reservation has no MinimumLoadBalancerCapacity and no zonal states;
// the Terraform provider reads this after every aws_lb create and refresh.
Reply Elbv2Service::describe_capacity_reservation(const Ctx& ctx, const Doc& in) {
  std::string arn = str(in, "LoadBalancerArn");
  store::Transaction tx = db_.read();
  Elbv2Store st(tx, ctx.account, ctx.region);
  if (!st.load_balancer(arn)) {
    return errors::load_balancer_not_found("Load balancer '" + arn + "' not found");
  }
  tx.commit();
  return json::object{{"CapacityReservationState", json::array{}}};
}

}  // namespace services::elbv2
